import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { storageError } from "../store/blob-store.js";
import { isProcessAlive } from "../store/process-alive.js";

/** How often a process waiting for another's partial download looks again (exported so tests can outwait it). */
export const PARTIAL_LOCK_POLL_MS = 200;
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
    const stale = await staleLockText(lockPath);
    if (stale !== undefined) {
      await takeOver(lockPath, stale);
      continue;
    }
    // An abort ends the pause early; the check at the top then throws the signal's own reason.
    await sleep(PARTIAL_LOCK_POLL_MS, undefined, { signal }).catch(() => undefined);
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

/**
 * Removes a stale lock without racing another process that judged it stale too: a plain `rm` by the slower one
 * could delete the lock the faster one had just created. The lock is renamed aside (atomic: one of them wins);
 * if what was moved is not the stale lock that was read, a fresh lock slipped in and is put back.
 */
async function takeOver(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.${String(process.pid)}-${randomBytes(6).toString("hex")}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // Gone already: another process took it over first.
  }
  const moved = await readFile(aside, "utf8").catch(() => undefined);
  if (moved !== staleText) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}

/** The content of the lock when it is stale (its writer is gone), undefined when it is live or missing. */
async function staleLockText(lockPath: string): Promise<string | undefined> {
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  return (await isStale(lockPath, text)) ? text : undefined;
}

async function isStale(lockPath: string, text: string): Promise<boolean> {
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
