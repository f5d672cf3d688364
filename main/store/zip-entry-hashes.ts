import { createHash } from "node:crypto";
import type { Entry, ZipFile } from "yauzl";
import { errorMessage, LarderError } from "../core/errors.js";
import type { HashedEntry } from "../core/package-hashes.js";
import { nextZipEntry } from "./zip-entries.js";
import { openZipFile } from "./zip-file-reader.js";

/** Bounds that keep a hostile zip from exhausting memory or time while it is hashed. */
export interface ZipEntryLimits {
  readonly maxEntries: number;
  readonly maxUncompressedBytes: number;
}

const DEFAULT_LIMITS: ZipEntryLimits = { maxEntries: 10_000, maxUncompressedBytes: 4 * 1024 ** 3 };

/**
 * Hashes every entry of a zip file as Go's dirhash.HashZip sees it: each central-directory entry by its stored
 * name, directories included with empty content. Streams entry by entry, so memory does not grow with size.
 * A file that is not a readable zip is refused with a message naming the package.
 */
export async function hashZipEntries(
  path: string,
  context: string,
  limits: ZipEntryLimits = DEFAULT_LIMITS,
): Promise<HashedEntry[]> {
  const zip = await openZip(path, context);
  const entries: HashedEntry[] = [];
  let total = 0;
  try {
    for (;;) {
      const entry = await nextZipEntry(zip, (error) => invalid(context, error.message));
      if (!entry) break;
      if (entries.length >= limits.maxEntries) {
        throw invalid(context, `it has more than ${limits.maxEntries} entries`);
      }
      total += entry.uncompressedSize;
      if (total > limits.maxUncompressedBytes) {
        throw invalid(context, `it expands to more than ${limits.maxUncompressedBytes} bytes`);
      }
      entries.push({ name: entry.fileName, sha256Hex: await hashEntry(zip, entry, context) });
    }
  } finally {
    zip.close();
  }
  return entries;
}

function invalid(context: string, reason: string): LarderError {
  return new LarderError(
    "verification_failed",
    `${context}: the archive is not a valid provider zip (${reason}); nothing was stored.`,
  );
}

async function openZip(path: string, context: string): Promise<ZipFile> {
  // strictFileNames off: h1 must hash names exactly as stored, even odd ones; they are never used as paths.
  try {
    return await openZipFile(path, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw invalid(context, errorMessage(error));
  }
}

function hashEntry(zip: ZipFile, entry: Entry, context: string): Promise<string> {
  const hash = createHash("sha256");
  if (entry.fileName.endsWith("/")) return Promise.resolve(hash.digest("hex"));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(invalid(context, `entry ${entry.fileName}: ${error.message}`));
        return;
      }
      stream.on("data", (chunk: Buffer) => hash.update(chunk));
      stream.on("error", (streamError) => {
        reject(invalid(context, `entry ${entry.fileName}: ${streamError.message}`));
      });
      stream.on("end", () => {
        resolve(hash.digest("hex"));
      });
    });
  });
}
