import { open, readFile, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { storageError } from "../store/blob-store.js";
import { isProcessAlive } from "../store/process-alive.js";

/** How often a process waiting for another's partial download looks again. */
const WAIT_MS = 200;
/** A lock file without a pid yet (its writer died between create and write) counts as stale after this. */
const EMPTY_LOCK_STALE_MS = 5000;

/**
 * Runs `work` holding `<lockPath>`, a file created exclusively (`wx`) that holds this process's pid, so two
 * processes (a `larder mirror` and a `larder serve`) never write the same partial download at once. A lock whose
 * pid is gone is stale and taken over; a live holder is waited for, and an abort stops the wait at once.
 * Within one process callers must already be serialised (see `exclusive`), so a lock holding our own pid is a
 * leftover of an earlier process that had the same pid.
 */
export async function withPartialLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (;;) {
    signal?.throwIfAborted();
    if (await tryCreate(lockPath)) break;
    if (await isStale(lockPath)) {
      await rm(lockPath, { force: true });
      continue;
    }
    // An abort ends the pause early; the check at the top then throws the signal's own reason.
    await sleep(WAIT_MS, undefined, { signal }).catch(() => undefined);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx");
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw storageError(error, "lock the partial download");
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  if (text === undefined) return false;
  const pid = Number(text.trim());
  if (text.trim() === "" || !Number.isSafeInteger(pid) || pid <= 0) {
    const modified = await stat(lockPath).then(
      (info) => info.mtimeMs,
      () => 0,
    );
    return Date.now() - modified > EMPTY_LOCK_STALE_MS;
  }
  return pid === process.pid || !isProcessAlive(pid);
}
