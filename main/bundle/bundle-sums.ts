import { createHash } from "node:crypto";

/** One line of the bundle's SHA256SUMS. */
export interface SumsLine {
  readonly path: string;
  readonly sha256: string;
}

/** `sha256sum` format, sorted by path, so `sha256sum -c SHA256SUMS` works in an unpacked bundle. */
export function renderBundleSums(lines: readonly SumsLine[]): Buffer {
  const sorted = [...lines].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return Buffer.from(sorted.map((line) => `${line.sha256}  ${line.path}\n`).join(""));
}

/** Hex sha256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
