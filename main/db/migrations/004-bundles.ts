import type { Migration } from "./migration.js";

/** History of air-gap bundles exported from and imported into this data directory (issue 5). */
export const migration004Bundles: Migration = {
  id: 4,
  name: "bundles",
  sql: `
    -- One row per bundle and direction: a data directory may export a bundle and, in tests or round trips,
    -- import it too. The manifest is kept so a later export can be incremental on this one by id alone.
    CREATE TABLE bundles (
      id                TEXT NOT NULL,
      direction         TEXT NOT NULL CHECK (direction IN ('export', 'import')),
      parent_id         TEXT,
      bundle_created_at TEXT NOT NULL,
      recorded_at       TEXT NOT NULL,
      file              TEXT NOT NULL,
      size              INTEGER NOT NULL CHECK (size >= 0),
      provider_packages INTEGER NOT NULL CHECK (provider_packages >= 0),
      module_versions   INTEGER NOT NULL CHECK (module_versions >= 0),
      entries           INTEGER NOT NULL CHECK (entries >= 0),
      signed_by         TEXT,
      manifest_json     TEXT NOT NULL,
      PRIMARY KEY (id, direction)
    ) STRICT;

    CREATE INDEX bundles_recorded ON bundles (recorded_at);
  `,
};
