import type { Migration } from "./migration.js";

/** Persistent download jobs and their items (issue 4): they survive restarts and crashes. */
export const migration003Jobs: Migration = {
  id: 3,
  name: "jobs",
  sql: `
    -- One request to mirror something, stored as the validated JSON it was made with. The job's own state is
    -- derived from its items, so it is not stored. The lease (owner_pid, owner_host, heartbeat_at) says which
    -- process runs the job; another process takes it over only when that owner is gone or its heartbeat stale.
    CREATE TABLE jobs (
      id           INTEGER PRIMARY KEY,
      kind         TEXT NOT NULL CHECK (kind IN ('mirror-provider', 'mirror-module')),
      what         TEXT NOT NULL,
      request_json TEXT NOT NULL CHECK (json_valid(request_json)),
      owner_pid    INTEGER,
      owner_host   TEXT,
      heartbeat_at INTEGER,
      created_at   TEXT NOT NULL,
      updated_at   TEXT NOT NULL,
      CHECK ((owner_pid IS NULL) = (heartbeat_at IS NULL))
    ) STRICT;

    -- One unit of work: a provider package (version x platform) or a module version. 'requested' carries a
    -- pause or cancel asked for by another process until the owner has stopped the transfer.
    CREATE TABLE job_items (
      id          INTEGER PRIMARY KEY,
      job_id      INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
      kind        TEXT NOT NULL CHECK (kind IN ('provider-package', 'module-version')),
      label       TEXT NOT NULL,
      ref_json    TEXT NOT NULL CHECK (json_valid(ref_json)),
      host        TEXT NOT NULL,
      state       TEXT NOT NULL
                  CHECK (state IN ('queued', 'running', 'paused', 'succeeded', 'failed', 'cancelled')),
      reason      TEXT,
      interrupted INTEGER NOT NULL DEFAULT 0 CHECK (interrupted IN (0, 1)),
      requested   TEXT CHECK (requested IN ('pause', 'cancel')),
      bytes_done  INTEGER NOT NULL DEFAULT 0 CHECK (bytes_done >= 0),
      bytes_total INTEGER CHECK (bytes_total >= 0),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      started_at  TEXT,
      finished_at TEXT,
      CHECK ((state = 'failed') = (reason IS NOT NULL))
    ) STRICT;

    CREATE INDEX job_items_job_state ON job_items (job_id, state);
  `,
};
