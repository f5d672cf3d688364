// Durable file writes shared by the blob store and the TLS material: flush, rename, flush the directory.
import { randomBytes } from "node:crypto";
import { open, rename, rm, type FileHandle } from "node:fs/promises";
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

/** How much may be written between two background flushes of a file written with `WriteBehind`. */
const WRITE_BEHIND_BYTES = 64 * 1024 * 1024;

/**
 * A new file (created with O_EXCL) whose written bytes are flushed to disk in the background as it grows, so the
 * fsync that makes it durable at the end finds little left to write: the disk works while the rest is produced,
 * instead of the whole file waiting at the end (the page cache otherwise starts writing a 2 GB file back only
 * after 30 s). Write through a stream opened on `path` with flags "r+"; report progress with `written`.
 */
export class WriteBehind {
  private flushedAt = 0;
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the file; fails if it exists. */
  static async create(filePath: string): Promise<WriteBehind> {
    return new WriteBehind(filePath, await open(filePath, "wx"));
  }

  /** Tells how many bytes have been handed to the writer so far; starts a flush when enough are new. */
  written(total: number): void {
    if (this.flushing !== undefined || total - this.flushedAt < WRITE_BEHIND_BYTES) return;
    this.flushing = this.handle.datasync().then(
      () => {
        this.flushedAt = total;
        this.flushing = undefined;
      },
      (error: unknown) => {
        // Kept for sync(): an fsync error is reported once, so the final fsync on this file could miss it.
        this.failure ??= error instanceof Error ? error : new Error(String(error));
      },
    );
  }

  /**
   * Makes everything written durable (fsync), then closes the file; throws if any flush failed. Call once the
   * writer has finished. The file is closed before the caller renames it (Windows cannot rename an open file).
   */
  async finish(): Promise<void> {
    await this.flushing;
    try {
      if (this.failure !== undefined) throw this.failure;
      await this.handle.sync();
    } finally {
      await this.abandon();
    }
  }

  /** Closes the file without syncing it (after a failure); safe to call more than once. */
  async abandon(): Promise<void> {
    await this.flushing;
    if (this.closed) return;
    this.closed = true;
    await this.handle.close().catch(() => undefined);
  }
}
