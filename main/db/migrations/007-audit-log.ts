import type { Migration } from "./migration.js";

/**
 * The audit log (admin API issue): one row per state change from the CLI, the admin UI/API or pull-through, with
 * who asked (actor, peer, user agent), what was done to what, and how it ended. Paged newest first by id, and
 * filtered by time, hence the index on `at`. Growth is bounded by the repository, not here: it prunes to the
 * newest rows as it inserts.
 */
export const migration007AuditLog: Migration = {
  id: 7,
  name: "audit-log",
  sql: `
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL CHECK (actor IN ('cli', 'ui', 'api', 'pull-through')),
      peer TEXT,
      user_agent TEXT,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
      detail TEXT
    ) STRICT;
    CREATE INDEX audit_log_at ON audit_log (at);
  `,
};
