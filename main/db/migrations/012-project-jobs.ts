import type { Migration } from "./migration.js";

/**
 * `larder mirror project` runs as one job of its own kind (issue 16). SQLite cannot alter a CHECK constraint,
 * so the table is rebuilt the documented way: copy, drop, rename. Migrations run with foreign keys off (see
 * migrate), so dropping `jobs` does not cascade into job_items, whose reference binds to the new table by name.
 */
export const migration012ProjectJobs: Migration = {
  id: 12,
  name: "project-jobs",
  sql: `
    CREATE TABLE jobs_new (
      id           INTEGER PRIMARY KEY,
      kind         TEXT NOT NULL CHECK (kind IN ('mirror-provider', 'mirror-module', 'mirror-project')),
      what         TEXT NOT NULL,
      request_json TEXT NOT NULL CHECK (json_valid(request_json)),
      owner_pid    INTEGER,
      owner_host   TEXT,
      heartbeat_at INTEGER,
      created_at   TEXT NOT NULL,
      updated_at   TEXT NOT NULL,
      CHECK ((owner_pid IS NULL) = (heartbeat_at IS NULL))
    ) STRICT;
    INSERT INTO jobs_new (id, kind, what, request_json, owner_pid, owner_host, heartbeat_at, created_at, updated_at)
      SELECT id, kind, what, request_json, owner_pid, owner_host, heartbeat_at, created_at, updated_at FROM jobs;
    DROP TABLE jobs;
    ALTER TABLE jobs_new RENAME TO jobs;
  `,
};
