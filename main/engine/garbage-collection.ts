import { hostname } from "node:os";
import type { BlobRepository } from "../db/blob-repository.js";
import type { IngestSessionRepository } from "../db/ingest-session-repository.js";
import type { BlobFile, BlobStore } from "../store/blob-store.js";
import { isProcessAlive } from "../store/process-alive.js";

/** What `larder gc` removed, or with `dryRun` would remove. Plain JSON data. */
export interface GarbageReport {
  readonly dryRun: boolean;
  readonly blobs: number;
  readonly bytes: number;
}

/**
 * File-system mtimes may be coarser than Date.now() (whole seconds on some file systems, 2 s on FAT), so a blob
 * touched just after a session started can carry an mtime just before it: the cutoff is moved back by this much.
 */
export const CLOCK_SLACK_MS = 2000;

/**
 * A session registered by another machine sharing the data directory cannot be checked for liveness (no pid to
 * signal, no heartbeat); after a day it is taken for crashed, so one lost machine does not stop gc for good.
 */
export const FOREIGN_SESSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface GarbageDependencies {
  readonly blobs: BlobRepository;
  readonly sessions: IngestSessionRepository;
  readonly store: BlobStore;
}

/** The decision: blob files to remove, `blobs` rows to drop, sessions found dead. */
interface GarbagePlan {
  readonly files: readonly BlobFile[];
  readonly rows: readonly string[];
  readonly deadSessions: readonly number[];
}

/**
 * Garbage is a blob no row references AND whose file was last touched before the cutoff, the earlier of this
 * collection's start and the oldest live ingest session's start, minus CLOCK_SLACK_MS. Why that is safe against
 * another process ingesting at the same time:
 *
 * - every ingest registers a session (withIngestSession) in a write transaction before it writes or reuses a
 *   blob, and this plan is made inside the collection's own write transaction (BEGIN IMMEDIATE). So a session
 *   either existed when the plan read the sessions (then everything it touched is newer than the cutoff), or it
 *   starts only after the collection has committed, removals included (then it sees removed blobs as absent);
 * - committing a blob sets its mtime to now, and reusing one (dedup, commit onto an existing file) touches it,
 *   the touch itself being the existence check (BlobStore.touch): there is no window between "it is stored" and
 *   "it is in use";
 * - referenced blobs are read in the same transaction as the removals, so a row inserted meanwhile is impossible.
 *
 * Sessions of processes that are gone (same machine, pid not running) protect nothing and are swept. Nothing in
 * tmp/ is looked at: BlobStore.open sweeps it by its own, pid-based rule.
 */
function plan(deps: GarbageDependencies, startedAtMs: number): GarbagePlan & { cutoffMs: number } {
  const here = hostname();
  const live: number[] = [startedAtMs];
  const deadSessions: number[] = [];
  for (const session of deps.sessions.all()) {
    const dead =
      session.host === here
        ? !isProcessAlive(session.pid)
        : startedAtMs - session.startedAtMs > FOREIGN_SESSION_MAX_AGE_MS;
    if (dead) deadSessions.push(session.id);
    else live.push(session.startedAtMs);
  }
  const cutoffMs = Math.min(...live) - CLOCK_SLACK_MS;
  const referenced = deps.blobs.referenced();
  const all = deps.store.listFilesSync();
  const files = all.filter((file) => !referenced.has(file.sha256) && file.mtimeMs < cutoffMs);
  const removed = new Set(files.map((file) => file.sha256));
  const onDisk = new Set(all.map((file) => file.sha256));
  // A `blobs` row goes with its file, or when its file is already gone (nothing to keep it for).
  const rows = deps.blobs
    .all()
    .map((row) => row.sha256)
    .filter((sha256) => !referenced.has(sha256) && (removed.has(sha256) || !onDisk.has(sha256)));
  return { files, rows, deadSessions, cutoffMs };
}

/**
 * Removes unreferenced blobs (see plan for the safety rule), or with dryRun only reports them. Both run the same
 * decision inside the same kind of write transaction, so a dry run reports exactly what a real run at that moment
 * would remove. Synchronous: better-sqlite3 transactions cannot await, and the removals must happen under the
 * write lock.
 */
export function collectGarbage(deps: GarbageDependencies, options: { dryRun: boolean }): GarbageReport {
  const startedAtMs = Date.now();
  return deps.blobs.inTransaction("immediate", () => {
    const decided = plan(deps, startedAtMs);
    if (!options.dryRun) {
      for (const file of decided.files) deps.store.removeSync(file.sha256);
      deps.blobs.remove(decided.rows);
      deps.sessions.remove(decided.deadSessions);
    }
    return {
      dryRun: options.dryRun,
      blobs: decided.files.length,
      bytes: decided.files.reduce((total, file) => total + file.size, 0),
    };
  });
}

/** What a collection would free now, read without taking the write lock (for `larder du`). */
export function reclaimableBytes(deps: GarbageDependencies): number {
  return deps.blobs.inTransaction("deferred", () =>
    plan(deps, Date.now()).files.reduce((total, file) => total + file.size, 0),
  );
}
