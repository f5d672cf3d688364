import { createHash } from "node:crypto";
import { LarderError } from "./errors.js";

/** One regular file (or zip entry) of a provider package with the sha256 of its content. */
export interface HashedEntry {
  readonly name: string;
  readonly sha256Hex: string;
}

/**
 * terraform's `h1:` hash (Go dirhash Hash1, terraform-protocols.md §5.2): sha256 over sorted lines
 * `<hex sha256>  <name>\n`, base64 with padding. Names sort byte-wise as UTF-8, not as UTF-16 code units.
 */
export function h1Hash(entries: readonly HashedEntry[]): string {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const summary = createHash("sha256");
  for (const entry of sorted) {
    if (entry.name.includes("\n")) {
      throw new LarderError(
        "verification_failed",
        `Package entry name ${JSON.stringify(entry.name)} contains a newline.`,
      );
    }
    summary.update(`${entry.sha256Hex}  ${entry.name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

/** terraform's legacy `zh:` hash: the hex sha256 of the zip bytes. */
export function zhHash(archiveSha256Hex: string): string {
  return `zh:${archiveSha256Hex}`;
}

/** True for a 64-character lower-case hex sha256. */
export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
