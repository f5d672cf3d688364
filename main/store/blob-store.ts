import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, readdirSync, rmSync, statSync, type ReadStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LarderError } from "../core/errors.js";
import { isSha256Hex } from "../core/package-hashes.js";
import { fsyncDirectory, WriteBehind } from "./durable-file.js";
import { isProcessAlive } from "./process-alive.js";

/** A fully written temporary file, hashed while it was written, not yet in the store. */
export interface StagedBlob {
  readonly tempPath: string;
  readonly sha256: string;
  readonly size: number;
}

/** The pid in a temp name made by `tempPath` (`module-4242-ab12…`, `4242-ab12….blob`). */
const TEMP_OWNER = /^(?:module-(?:deps-)?)?(\d+)-[0-9a-f]+/;

/** Resumable partial downloads (`tmp/<sha256 of the URL>.part`) older than this are removed on open. */
export const PARTIAL_DOWNLOAD_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Limits applied while staging untrusted bytes. */
export interface StageOptions {
  readonly maxBytes?: number;
}

/** A blob file as found on disk, for garbage collection. */
export interface BlobFile {
  readonly sha256: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Content-addressed files under `blobs/sha256/ab/<hash>`. Bytes are staged in `tmp/`, hashed as they stream,
 * fsynced and renamed into place, so a blob path either does not exist or holds exactly its hash's bytes.
 * Blobs are never modified; which ones are visible is decided by the database, not by the files.
 *
 * What `open()` does with `tmp/`: staged blobs (`*.blob`), unpacked module sources (`module-*`, `*.module.tar.gz`)
 * and half-written download sidecars (`*.part.json.new`) are leftovers of interrupted runs and are removed, unless
 * the process that made them still runs: their names carry its pid (`tempPath`), because another `larder` command
 * (`larder jobs show` beside a running mirror, say) opens the same data directory while they are in use.
 * Partial downloads (`*.part`) and their validator sidecars (`*.part.json`) are kept, because the next download of
 * the same URL resumes from them, unless they were last written more than seven days ago; so are their
 * cross-process locks (`*.part.lock`), which a later download takes over when the pid in them is gone.
 */
export class BlobStore {
  private readonly blobsDir: string;
  readonly tmpDir: string;

  constructor(dataDir: string) {
    this.blobsDir = join(dataDir, "blobs", "sha256");
    this.tmpDir = join(dataDir, "tmp");
  }

  /** Creates the folders and removes leftovers of interrupted writes (see the class comment for the policy). */
  async open(): Promise<void> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, name);
      if (
        name.endsWith(".blob") ||
        name.startsWith("module-") ||
        name.endsWith(".module.tar.gz") ||
        name.endsWith(".part.json.new")
      ) {
        const owner = TEMP_OWNER.exec(name)?.[1];
        if (owner === undefined || !isProcessAlive(Number(owner)))
          await rm(path, { recursive: true, force: true });
      } else if (name.endsWith(".part") || name.endsWith(".part.json") || name.endsWith(".part.lock")) {
        const modified = await stat(path).then(
          (info) => info.mtimeMs,
          () => now,
        );
        if (now - modified > PARTIAL_DOWNLOAD_MAX_AGE_MS) await rm(path, { force: true });
      }
    }
  }

  /** The resumable partial file for a URL: `tmp/<sha256 of the URL>.part`, kept across runs by `open()`. */
  partialPathFor(url: string): string {
    return join(this.tmpDir, `${createHash("sha256").update(url).digest("hex")}.part`);
  }

  /** A fresh temp path for a staged blob (swept by `open()` if the run is interrupted before commit). */
  stagingPath(): string {
    return this.tempPath("", ".blob");
  }

  /**
   * A fresh path under `tmp/` named `<prefix><pid>-<random><suffix>`: `open()` of another process sweeps it only
   * once this process is gone.
   */
  tempPath(prefix: string, suffix: string): string {
    return join(this.tmpDir, `${prefix}${process.pid}-${randomBytes(12).toString("hex")}${suffix}`);
  }

  /** Where a blob lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!isSha256Hex(sha256)) throw new LarderError("invalid_input", `Not a sha256: ${sha256}`);
    return join(this.blobsDir, sha256.slice(0, 2), sha256);
  }

  /** True when the blob file exists with the given size. */
  async has(sha256: string, size?: number): Promise<boolean> {
    const actual = await this.sizeOf(sha256);
    return actual !== undefined && (size === undefined || actual === size);
  }

  /**
   * The size of a stored blob, or undefined when the store does not hold it. A blob file exists only once its
   * bytes were hashed to its name (see the class comment), so callers may trust that it holds exactly `sha256`.
   */
  async sizeOf(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch {
      return undefined;
    }
  }

  /**
   * Marks a stored blob as in use now and returns its size, or undefined when the store does not hold it. The
   * touch (mtime = now) is itself the existence check: `larder gc` removes only files last touched before its
   * cutoff, so a blob an ingest reuses is either touched (and kept) or already gone (ENOENT: downloaded again),
   * never removed between a check and its use.
   */
  async touch(sha256: string): Promise<number | undefined> {
    const path = this.pathOf(sha256);
    const now = new Date();
    try {
      await utimes(path, now, now);
      return (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw storageError(error, `mark blob ${sha256} as in use`);
    }
  }

  /**
   * Every blob file under `blobs/` with its size and mtime. Synchronous on purpose: garbage collection lists
   * and removes inside one SQLite transaction (better-sqlite3 transactions cannot await).
   */
  listFilesSync(): BlobFile[] {
    const files: BlobFile[] = [];
    for (const prefix of readdirSync(this.blobsDir)) {
      const dir = join(this.blobsDir, prefix);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // not a folder
      }
      for (const name of names) {
        // Only files named by their hash are blobs; anything else is not ours to count or remove.
        if (!isSha256Hex(name) || name.slice(0, 2) !== prefix) continue;
        const info = statSync(join(dir, name), { throwIfNoEntry: false });
        if (info?.isFile()) files.push({ sha256: name, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    return files.sort((a, b) => a.sha256.localeCompare(b.sha256));
  }

  /** Removes a blob file (synchronously, see listFilesSync); a file already gone is not an error. */
  removeSync(sha256: string): void {
    try {
      rmSync(this.pathOf(sha256), { force: true });
    } catch (error) {
      throw storageError(error, `remove blob ${sha256}`);
    }
  }

  /** Streams bytes into a temp file while hashing them; refuses more than maxBytes. */
  async stage(source: Readable | AsyncIterable<Uint8Array>, options: StageOptions = {}): Promise<StagedBlob> {
    const tempPath = this.stagingPath();
    const hash = createHash("sha256");
    let size = 0;
    const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
    let durable: WriteBehind | undefined;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(
            new LarderError("verification_failed", `The download is larger than the ${maxBytes}-byte limit.`),
          );
          return;
        }
        hash.update(chunk);
        durable?.written(size);
        callback(null, chunk);
      },
    });
    try {
      // Large blobs are flushed to disk as they arrive, so the fsync at the end does not wait for all of them.
      durable = await WriteBehind.create(tempPath);
      await pipeline(source, meter, createWriteStream(tempPath, { flags: "r+" }));
      await durable.finish();
    } catch (error) {
      await durable?.abandon();
      await rm(tempPath, { force: true });
      throw storageError(error, "write a download to the temp folder");
    }
    return { tempPath, sha256: hash.digest("hex"), size };
  }

  /** Stages an in-memory buffer (SHA256SUMS, signatures). */
  async stageBytes(bytes: Uint8Array): Promise<StagedBlob> {
    return this.stage(Readable.from([bytes]));
  }

  /**
   * Stages a complete file that was already hashed while it was written (a finished resumable download): moves it
   * to a staging path unless it is one, and checks its size. Commit and discard then work as for `stage`.
   */
  async adopt(path: string, sha256: string, size: number): Promise<StagedBlob> {
    if (!isSha256Hex(sha256)) throw new LarderError("invalid_input", `Not a sha256: ${sha256}`);
    const isStaging = dirname(path) === this.tmpDir && path.endsWith(".blob");
    const tempPath = isStaging ? path : this.stagingPath();
    try {
      if (!isStaging) await rename(path, tempPath);
      const actual = (await stat(tempPath)).size;
      if (actual !== size) {
        throw new LarderError(
          "storage_failed",
          `Cannot stage ${path}: it holds ${actual} bytes, not the ${size} that were hashed.`,
        );
      }
    } catch (error) {
      await rm(tempPath, { force: true });
      throw storageError(error, "stage a finished download");
    }
    return { tempPath, sha256, size };
  }

  /**
   * Moves a staged file into the store under its hash (a no-op if that blob already exists, which is then touched
   * as in use). The staged file's mtime is set to now before it becomes visible: a finished resumable download may
   * have been written days ago, and `larder gc` must see the commit time, not that, until a row references it.
   */
  async commit(staged: StagedBlob): Promise<string> {
    const target = this.pathOf(staged.sha256);
    try {
      if ((await this.touch(staged.sha256)) === staged.size) {
        await rm(staged.tempPath, { force: true });
        return staged.sha256;
      }
      const now = new Date();
      await utimes(staged.tempPath, now, now);
      await mkdir(join(target, ".."), { recursive: true });
      await rename(staged.tempPath, target);
      await fsyncDirectory(join(target, ".."));
    } catch (error) {
      await rm(staged.tempPath, { force: true });
      throw storageError(error, `store blob ${staged.sha256}`);
    }
    return staged.sha256;
  }

  /** Discards a staged file that failed verification. */
  async discard(staged: StagedBlob): Promise<void> {
    await rm(staged.tempPath, { force: true });
  }

  /** Opens a blob for reading (optionally a byte range, inclusive end; optionally in larger chunks than 64 KiB). */
  createReadStream(
    sha256: string,
    options?: { readonly start?: number; readonly end?: number; readonly highWaterMark?: number },
  ): ReadStream {
    return createReadStream(this.pathOf(sha256), options);
  }
}

/** Wraps file-system failures in a clear storage error; errors from the source stream pass through unchanged. */
export function storageError(error: unknown, action: string): unknown {
  if (error instanceof LarderError || !(error instanceof Error) || !("path" in error)) return error;
  const code = "code" in error ? String(error.code) : "";
  if (code === "ENOSPC") {
    return new LarderError(
      "storage_failed",
      `Cannot ${action}: the disk is full. Free some space and try again; nothing was stored.`,
      { cause: error },
    );
  }
  return new LarderError("storage_failed", `Cannot ${action}: ${error.message}`, { cause: error });
}
