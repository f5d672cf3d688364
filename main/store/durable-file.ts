// Durable file writes shared by the blob store and the TLS material: flush, rename, flush the directory.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { LarderError, errorMessage } from "../core/errors.js";

/** Replaces filePath with data so readers only ever see the old or the new content, never a partial file. */
export async function writeFileAtomic(filePath: string, data: string, mode: number): Promise<void> {
  const directory = path.dirname(filePath);
  // Same directory as the target, so the rename never crosses filesystems (which would not be atomic).
  const tempPath = path.join(directory, `.${path.basename(filePath)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    // "wx" + mode: the key material is never readable by others, not even for the moment before a chmod.
    const handle = await open(tempPath, "wx", mode);
    try {
      await handle.writeFile(data, "utf8");
      // Flush before the rename, or a crash could leave the new name pointing at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, filePath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw new LarderError("storage_failed", `Could not write ${filePath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  await fsyncDirectory(directory);
}

/** Flushes a written file's content to disk, so a rename after it never points at an empty file. */
export async function fsyncFile(filePath: string): Promise<void> {
  const handle = await open(filePath, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename itself durable. Best effort: Windows cannot open directories and some filesystems refuse fsync. */
export async function fsyncDirectory(directory: string): Promise<void> {
  if (process.platform === "win32") return;
  try {
    const handle = await open(directory, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file content is already synced; losing only the rename on power failure means the old file stays.
  }
}
