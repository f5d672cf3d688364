import type { Migration } from "./migration.js";

/** Module versions served as Larder's own normalised archives (issue 3). */
export const migration002Modules: Migration = {
  id: 2,
  name: "modules",
  sql: `
    -- One module version from one upstream host. Namespace and name compare case-insensitively, as registries
    -- do, while keeping the case they were first mirrored with.
    CREATE TABLE module_versions (
      id                INTEGER PRIMARY KEY,
      host              TEXT NOT NULL,
      namespace         TEXT NOT NULL COLLATE NOCASE,
      name              TEXT NOT NULL COLLATE NOCASE,
      system            TEXT NOT NULL,
      version           TEXT NOT NULL,
      archive_blob      TEXT NOT NULL REFERENCES blobs (sha256),
      size              INTEGER NOT NULL,
      -- The subdirectory of the archive that holds the module ("" = the root), kept so ../ references work.
      subdir            TEXT NOT NULL,
      source_kind       TEXT NOT NULL CHECK (source_kind IN ('archive', 'github', 'git')),
      upstream_location TEXT NOT NULL,
      created_at        TEXT NOT NULL,
      UNIQUE (host, namespace, name, system, version)
    ) STRICT;

    CREATE INDEX module_versions_archive ON module_versions (archive_blob);
  `,
};
