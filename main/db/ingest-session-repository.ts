import { hostname } from "node:os";
import type { Db } from "./connection.js";

/** A registered ingest: which process on which machine, since when (ms since the epoch, this machine's clock). */
export interface IngestSessionRecord {
  readonly id: number;
  readonly pid: number;
  readonly host: string;
  readonly startedAtMs: number;
}

interface SessionRow {
  id: number;
  pid: number;
  host: string;
  started_at_ms: number;
}

/** All SQL about `ingest_sessions` (migration 008): what garbage collection must not race with. */
export class IngestSessionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Registers a session in its own IMMEDIATE transaction. The write lock is what orders it against `larder gc`:
   * either the GC's decision transaction has committed (and its removals are done) before this returns, or this
   * row exists when the GC reads the sessions, so the GC keeps everything written from now on.
   */
  start(pid: number, host: string, startedAtMs: number): number {
    return this.db
      .transaction(() =>
        Number(
          this.db
            .prepare("INSERT INTO ingest_sessions (pid, host, started_at_ms) VALUES (?, ?, ?)")
            .run(pid, host, startedAtMs).lastInsertRowid,
        ),
      )
      .immediate();
  }

  /** Removes a finished session. */
  end(id: number): void {
    this.db.prepare("DELETE FROM ingest_sessions WHERE id = ?").run(id);
  }

  /** Every registered session, oldest first. */
  all(): IngestSessionRecord[] {
    return this.db
      .prepare<[], SessionRow>("SELECT * FROM ingest_sessions ORDER BY started_at_ms, id")
      .all()
      .map((row) => ({ id: row.id, pid: row.pid, host: row.host, startedAtMs: row.started_at_ms }));
  }

  /** Drops sessions whose process is known to be gone. */
  remove(ids: readonly number[]): void {
    const remove = this.db.prepare("DELETE FROM ingest_sessions WHERE id = ?");
    for (const id of ids) remove.run(id);
  }
}

/**
 * Runs one ingest (provider package, module version, bundle import) as a registered session: the row is written,
 * in its own write transaction, before `work` writes or reuses any blob, and removed however `work` ends. While it
 * exists `larder gc` keeps every blob touched since it started (see engine/garbage-collection.ts), which covers
 * blobs committed but not yet referenced by the row the ingest is about to insert. Here, not in the engine, so
 * that bundle import (which the engine composes) can use it too.
 */
export async function withIngestSession<T>(
  sessions: IngestSessionRepository,
  work: () => Promise<T>,
): Promise<T> {
  const id = sessions.start(process.pid, hostname(), Date.now());
  try {
    return await work();
  } finally {
    sessions.end(id);
  }
}
