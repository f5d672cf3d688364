import type { Migration } from "./migration.js";

/**
 * Persistent settings (issue 9): which clients the mirror serves decides which default hosts a host-less address
 * is mirrored for. One row per setting, its value as JSON, so later settings (the admin API's) need no migration.
 */
export const migration006Settings: Migration = {
  id: 6,
  name: "settings",
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value_json TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
