import { open } from "node:fs/promises";
import { LarderError } from "../../core/errors.js";

/** The archive formats Larder can extract. */
export type ArchiveFormat = "tar.gz" | "tar" | "zip";

/** What the first bytes of a file say it is: a supported format, a known unsupported one, or neither. */
export type SniffedFormat = ArchiveFormat | "bzip2" | "xz" | "unknown";

// A tar header is 512 bytes and its "ustar" magic sits at offset 257; nothing else needs more.
const HEAD_BYTES = 512;
const USTAR_OFFSET = 257;

const signatures: readonly { readonly format: SniffedFormat; readonly bytes: readonly number[] }[] = [
  { format: "tar.gz", bytes: [0x1f, 0x8b] },
  { format: "zip", bytes: [0x50, 0x4b, 0x03, 0x04] },
  // An empty zip is only its end-of-central-directory record.
  { format: "zip", bytes: [0x50, 0x4b, 0x05, 0x06] },
  { format: "bzip2", bytes: [0x42, 0x5a, 0x68] },
  { format: "xz", bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
];

const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72];

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  return head.length >= offset + bytes.length && bytes.every((byte, index) => head[offset + index] === byte);
}

/** Recognises an archive by its magic bytes; "tar.gz" means gzip data, whatever it wraps. */
export function sniffArchiveFormat(head: Uint8Array): SniffedFormat {
  const match = signatures.find((signature) => startsWith(head, signature.bytes));
  if (match) return match.format;
  if (startsWith(head, USTAR, USTAR_OFFSET)) return "tar";
  return "unknown";
}

const descriptions: Record<SniffedFormat, string> = {
  "tar.gz": "gzip data",
  tar: "tar data",
  zip: "zip data",
  bzip2: "bzip2 data",
  xz: "xz data",
  unknown: "data that is not an archive",
};

/** Refuses a file whose content is not the declared format, before any extractor sees it. */
export async function checkArchiveFormat(
  file: string,
  declared: ArchiveFormat,
  context: string,
): Promise<void> {
  const head = await readHead(file);
  const found = sniffArchiveFormat(head);
  if (found === declared) return;
  if (found === "bzip2" || found === "xz") {
    throw new LarderError(
      "verification_failed",
      `${context}: the archive is ${found}-compressed, which Larder does not support; only .tar.gz, .tar and .zip archives can be mirrored.`,
    );
  }
  const what = head.length === 0 ? "an empty file" : descriptions[found];
  throw new LarderError(
    "verification_failed",
    `${context}: the archive is not what its name says: expected ${declared}, found ${what}.`,
  );
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
