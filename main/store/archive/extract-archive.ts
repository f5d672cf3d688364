import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { checkArchiveFormat, type ArchiveFormat } from "./archive-format.js";
import { EntryWriter } from "./entry-writer.js";
import { extractTar } from "./extract-tar.js";
import { extractZip } from "./extract-zip.js";

/** Bounds that keep a hostile archive from exhausting disk, inodes or time while it is extracted. */
export interface ArchiveLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
}

/** Generous for any real module: the largest public modules are a few thousand files and tens of MiB. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 10_000, maxTotalBytes: 512 * 1024 ** 2 };

/**
 * Extracts an untrusted archive into destDir, refusing (verification_failed, naming the entry) anything that could
 * escape it or is not a plain file, directory or internal symlink. On failure destDir may hold a partial tree:
 * the caller deletes it.
 */
export async function extractArchive(
  file: string,
  format: ArchiveFormat,
  destDir: string,
  context: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<void> {
  await checkArchiveFormat(file, format, context);
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const writer = new EntryWriter(root, format === "zip" ? "zip" : "tar", context, limits);
  switch (format) {
    case "tar.gz":
      await extractTar(file, true, writer, context);
      return;
    case "tar":
      await extractTar(file, false, writer, context);
      return;
    case "zip":
      await extractZip(file, writer, context);
      return;
  }
}
