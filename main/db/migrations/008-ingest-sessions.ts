import type { Migration } from "./migration.js";

/**
 * Ingest sessions (admin API: garbage collection). Every ingest that may write or reuse a blob registers here,
 * in its own write transaction, before touching the store, and removes its row when done. `larder gc` keeps every
 * blob written or reused since the oldest live session started, so a blob staged or committed by a running
 * ingest, not yet referenced by a row, is never taken for garbage. Numbered 008: 007 belongs to a parallel change.
 */
export const migration008IngestSessions: Migration = {
  id: 8,
  name: "ingest-sessions",
  sql: `
    -- pid and host tell a crashed session (its process gone on this machine) from a running one.
    CREATE TABLE ingest_sessions (
      id            INTEGER PRIMARY KEY,
      pid           INTEGER NOT NULL,
      host          TEXT NOT NULL,
      started_at_ms INTEGER NOT NULL
    ) STRICT;
  `,
};
