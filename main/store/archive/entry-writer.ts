import { createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { LarderError } from "../../core/errors.js";
import { asArchiveError, asStorageError, refusedEntry, tooLarge } from "./archive-errors.js";
import { entryPath, type NameFlavour } from "./entry-name.js";
import type { ArchiveLimits } from "./extract-archive.js";
import { symlinkTargetProblem } from "./symlink-target.js";

// Modes are normalised: an upstream's setuid bits or world-writable files never reach the mirror.
const FILE_MODE = 0o644;
const EXECUTABLE_MODE = 0o755;
const DIRECTORY_MODE = 0o755;

type Kind = "missing" | "directory" | "symlink" | "other";

async function kindAt(path: string): Promise<Kind> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return "symlink";
    return stats.isDirectory() ? "directory" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw error;
  }
}

async function makeDirectory(path: string): Promise<void> {
  await mkdir(path, { mode: DIRECTORY_MODE });
  // mkdir's mode is filtered by the umask; chmod makes the result the same on every machine.
  await chmod(path, DIRECTORY_MODE);
}

/** Writes checked entries into one destination directory, enforcing the limits across the whole archive. */
export class EntryWriter {
  private entries = 0;
  private bytes = 0;

  constructor(
    private readonly destDir: string,
    private readonly flavour: NameFlavour,
    private readonly context: string,
    private readonly limits: ArchiveLimits,
  ) {}

  /** Counts one entry against the limit; every entry counts, skipped ones and implied directories too. */
  countEntry(): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw tooLarge(this.context, `it has more than ${this.limits.maxEntries} entries`);
    }
  }

  /** Refuses early when a declared size alone breaks the byte limit; the bytes actually read are still counted. */
  checkDeclaredSize(size: number): void {
    if (this.bytes + size > this.limits.maxTotalBytes) throw this.overBytes();
  }

  /** The error for an entry this archive's reader will not extract (hard links, devices, encryption). */
  refuse(name: string, reason: string): LarderError {
    return refusedEntry(this.context, name, reason);
  }

  /** Creates a directory entry; a directory repeated in the archive is harmless and allowed. */
  async directory(name: string): Promise<void> {
    const path = this.resolve(name);
    // "./" and the like name the destination itself, which already exists.
    if (path === "") return;
    await this.guard(name, async () => {
      const { full, exists } = await this.place(name, path, true);
      if (!exists) await makeDirectory(full);
    });
  }

  /** Streams a regular file to disk, counting the bytes really read rather than trusting any header. */
  async file(name: string, executable: boolean, content: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.resolve(name);
    if (path === "") throw this.refuse(name, "names no file");
    const mode = executable ? EXECUTABLE_MODE : FILE_MODE;
    const context = this.context;
    const count = (size: number): void => {
      this.bytes += size;
      if (this.bytes > this.limits.maxTotalBytes) throw this.overBytes();
    };
    await this.guard(name, async () => {
      const { full } = await this.place(name, path, false);
      await pipeline(
        async function* () {
          try {
            for await (const chunk of content) {
              count(chunk.byteLength);
              yield chunk;
            }
          } catch (error) {
            // Failures while reading are the archive's (bad deflate data, cut-off gzip), not the disk's.
            throw asArchiveError(context, error);
          }
        },
        createWriteStream(full, { flags: "wx", mode }),
      );
      await chmod(full, mode);
    });
  }

  /** Creates a symlink whose target is relative and stays inside the destination. */
  async symlink(name: string, target: string): Promise<void> {
    const path = this.resolve(name);
    if (path === "") throw this.refuse(name, "names no file");
    const problem = symlinkTargetProblem(path, target);
    if (problem !== undefined) throw this.refuse(name, problem);
    await this.guard(name, async () => {
      const { full } = await this.place(name, path, false);
      await symlink(target, full);
    });
  }

  private resolve(name: string): string {
    const checked = entryPath(name, this.flavour);
    if (!checked.ok) throw this.refuse(name, checked.reason);
    return checked.path;
  }

  /**
   * Creates the missing parents of path and returns where the entry goes. Parents are checked on disk, not in a
   * list of names, so a case-insensitive file system cannot hide a symlink behind a differently cased name.
   */
  private async place(
    name: string,
    path: string,
    directory: boolean,
  ): Promise<{ full: string; exists: boolean }> {
    const segments = path.split("/");
    let full = this.destDir;
    for (const [index, segment] of segments.entries()) {
      full = join(full, segment);
      const kind = await kindAt(full);
      const soFar = JSON.stringify(segments.slice(0, index + 1).join("/"));
      if (index === segments.length - 1) {
        if (kind === "missing") return { full, exists: false };
        if (kind === "directory" && directory) return { full, exists: true };
        throw this.refuse(name, "appears twice in the archive and would overwrite an earlier entry");
      }
      if (kind === "symlink") throw this.refuse(name, `would be written through the symlink ${soFar}`);
      if (kind === "other") throw this.refuse(name, `would be written inside ${soFar}, which is a file`);
      if (kind === "missing") {
        // Implied directories count as entries: one deep name must not create thousands of them for free.
        this.countEntry();
        await makeDirectory(full);
      }
    }
    throw this.refuse(name, "names no file");
  }

  private async guard(name: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      throw asStorageError(this.context, name, error);
    }
  }

  private overBytes(): LarderError {
    return tooLarge(this.context, `it expands to more than ${this.limits.maxTotalBytes} bytes`);
  }
}
