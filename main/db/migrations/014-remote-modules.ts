import type { Migration } from "./migration.js";

/**
 * Module sources that are not a registry (git, HTTP archives) as a project calls them (issue 16). init fetches
 * such a module from its source itself, so Larder does not serve it; `larder mirror project` keeps a snapshot
 * only to know what it calls and requires, so `larder check` can follow it offline. Keyed by the source without
 * its `//subdir`, so several subdirectories of one repository share one snapshot.
 */
export const migration014RemoteModules: Migration = {
  id: 14,
  name: "remote-modules",
  sql: `
    CREATE TABLE remote_modules (
      source       TEXT PRIMARY KEY,
      archive_blob TEXT NOT NULL REFERENCES blobs (sha256),
      fetched_at   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX remote_modules_archive ON remote_modules (archive_blob);
  `,
};
