import type { Migration } from "./migration.js";

/**
 * Projects remembered by the UI (issue 16): a root module on the Larder machine (a folder) or the configuration
 * files a browser uploaded (kept under the data dir's `projects/`), with what it must work offline for. Each
 * project's check is computed from the mirror whenever it is asked for, so nothing about it goes stale here.
 */
export const migration015Projects: Migration = {
  id: 15,
  name: "projects",
  sql: `
    CREATE TABLE projects (
      id             INTEGER PRIMARY KEY,
      name           TEXT NOT NULL,
      kind           TEXT NOT NULL CHECK (kind IN ('folder', 'upload')),
      path           TEXT NOT NULL UNIQUE,
      clients_json   TEXT NOT NULL CHECK (json_valid(clients_json)),
      platforms_json TEXT NOT NULL CHECK (json_valid(platforms_json)),
      reachable_json TEXT NOT NULL CHECK (json_valid(reachable_json)),
      created_at     TEXT NOT NULL
    ) STRICT;
  `,
};
