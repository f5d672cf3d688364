import type { AuditActorKind, AuditOutcome } from "../core/audit.js";
import type { Db } from "./connection.js";

/** One audit row as stored; absent peer, user agent and detail are null. */
export interface AuditRecord {
  readonly id: number;
  /** ISO 8601 time of the outcome. */
  readonly at: string;
  readonly actor: AuditActorKind;
  readonly peer: string | null;
  readonly userAgent: string | null;
  readonly action: string;
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly detail: string | null;
}

/** A query for one page, newest first: rows with an id below `before` (all when absent), at most `limit`. */
export interface AuditQuery {
  readonly limit: number;
  readonly before?: number;
  readonly actor?: AuditActorKind;
  readonly action?: string;
}

/** How many rows are kept and how often the older ones are deleted. */
export interface AuditRetention {
  readonly keep: number;
  readonly pruneEvery: number;
}

/**
 * Bounded growth: the newest 100 000 rows are kept. Pruning runs on every 1000th row id rather than on every
 * insert, so an insert stays one statement; and on the id, not a per-process counter, because most writers are
 * short CLI runs that insert once. Between prunes the table holds at most keep + pruneEvery rows.
 */
export const DEFAULT_AUDIT_RETENTION: AuditRetention = { keep: 100_000, pruneEvery: 1000 };

interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: AuditActorKind;
  readonly peer: string | null;
  readonly user_agent: string | null;
  readonly action: string;
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly detail: string | null;
}

/** The audit log table: append, prune, page. */
export class AuditRepository {
  constructor(
    private readonly db: Db,
    private readonly retention: AuditRetention = DEFAULT_AUDIT_RETENTION,
  ) {}

  /** Appends one row and returns its id; every `pruneEvery`th id also deletes what falls out of the kept window. */
  insert(entry: Omit<AuditRecord, "id">): number {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO audit_log (at, actor, peer, user_agent, action, target, outcome, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.at,
        entry.actor,
        entry.peer,
        entry.userAgent,
        entry.action,
        entry.target,
        entry.outcome,
        entry.detail,
      );
    const id = Number(lastInsertRowid);
    // Ids only grow (rows are deleted oldest first), so the kept window is the last `keep` ids.
    if (id % this.retention.pruneEvery === 0)
      this.db.prepare("DELETE FROM audit_log WHERE id <= ?").run(id - this.retention.keep);
    return id;
  }

  /** One page newest first, plus whether older matching rows exist beyond it. */
  page(query: AuditQuery): { records: AuditRecord[]; more: boolean } {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.before !== undefined) {
      where.push("id < ?");
      params.push(query.before);
    }
    if (query.actor !== undefined) {
      where.push("actor = ?");
      params.push(query.actor);
    }
    if (query.action !== undefined) {
      where.push("action = ?");
      params.push(query.action);
    }
    // One row past the page tells whether there is a next one without a COUNT over the table.
    const rows = this.db
      .prepare<(string | number)[], AuditRow>(
        `SELECT id, at, actor, peer, user_agent, action, target, outcome, detail FROM audit_log
         ${where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`}
         ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, query.limit + 1);
    return {
      records: rows.slice(0, query.limit).map(toRecord),
      more: rows.length > query.limit,
    };
  }
}

/** A row in the record's field order (the order `--json` and the API print). */
function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    peer: row.peer,
    userAgent: row.user_agent,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    detail: row.detail,
  };
}
