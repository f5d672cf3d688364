import { statfs } from "node:fs/promises";
import { LarderError } from "../core/errors.js";

/** The part of `fs.statfs` the free-space check reads; tests inject their own. */
export type StatfsFunction = (path: string) => Promise<{ readonly bavail: number; readonly bsize: number }>;

/** Room kept free beyond what a download needs, so the database and other writers are not starved. */
export const FREE_SPACE_MARGIN_BYTES = 64 * 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * Refuses with a storage_failed LarderError when `dir`'s file system has fewer than `neededBytes` plus the margin
 * available to this user. `context` starts the message ("Downloading the archive of provider …"). When the free
 * space cannot be read (an unsupported file system, a missing statfs), nothing is refused: the write itself will
 * still report a full disk.
 */
export async function ensureFreeSpace(
  dir: string,
  neededBytes: number,
  context: string,
  statfsOf: StatfsFunction = statfs,
): Promise<void> {
  if (!(neededBytes > 0)) return;
  let free: number;
  try {
    const info = await statfsOf(dir);
    free = info.bavail * info.bsize;
  } catch {
    return;
  }
  if (!Number.isFinite(free)) return;
  const required = neededBytes + FREE_SPACE_MARGIN_BYTES;
  if (free >= required) return;
  throw new LarderError(
    "storage_failed",
    `${context}: needs ${Math.ceil(required / MIB)} MiB in ${dir} but only ${Math.floor(free / MIB)} MiB are free. Free some space and try again; nothing was stored.`,
  );
}
