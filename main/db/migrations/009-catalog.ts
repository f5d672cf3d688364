import type { Migration } from "./migration.js";

/**
 * The catalog cache (architecture §9, issue 12): what every configured registry offers, searchable offline.
 *
 * Identity is host + kind + namespace + name + system, case-insensitive like the registries themselves
 * (`hashicorp/AWS` is `hashicorp/aws`): NOCASE on those columns makes the unique index, the upsert's conflict
 * target and the exact/prefix lookups of a search all fold case the same way. A provider's system is stored as ''
 * rather than NULL, because NULLs are distinct in a unique index and would let a provider be listed twice.
 * `versions_known` tells "never fetched" (the source lists only the latest) from "fetched, none listed".
 *
 * Full-text search is an FTS5 table with external content (catalog_entries), kept in step by triggers. External
 * rather than contentless: the text is already in catalog_entries, so storing it once costs no extra space, and
 * an external-content index can be rebuilt from its table (`INSERT INTO catalog_fts(catalog_fts) VALUES
 * ('rebuild')`) if it is ever damaged; a contentless one cannot. The update trigger only touches the index when
 * the searched text changed, since a refresh rewrites every entry and most keep their text.
 *
 * catalog_sources holds one row per catalog source (host + kind): when its last refresh started and finished,
 * the ETag for a conditional request, a cursor to resume an interrupted refresh, and its last error, so every
 * result can say how fresh it is.
 */
export const migration009Catalog: Migration = {
  id: 9,
  name: "catalog",
  sql: `
    CREATE TABLE catalog_entries (
      id             INTEGER PRIMARY KEY,
      host           TEXT NOT NULL COLLATE NOCASE,
      kind           TEXT NOT NULL CHECK (kind IN ('provider', 'module')),
      namespace      TEXT NOT NULL COLLATE NOCASE,
      name           TEXT NOT NULL COLLATE NOCASE,
      system         TEXT NOT NULL COLLATE NOCASE,
      description    TEXT NOT NULL,
      tier           TEXT,
      verified       INTEGER NOT NULL CHECK (verified IN (0, 1)),
      popularity     REAL NOT NULL,
      source         TEXT,
      latest_version TEXT,
      versions_known INTEGER NOT NULL DEFAULT 0 CHECK (versions_known IN (0, 1)),
      updated_at     TEXT NOT NULL,
      CHECK ((kind = 'provider') = (system = ''))
    ) STRICT;
    CREATE UNIQUE INDEX catalog_entries_identity ON catalog_entries (host, kind, namespace, name, system);
    -- Exact and prefix matches look up name and namespace; an empty search lists by popularity.
    CREATE INDEX catalog_entries_name ON catalog_entries (name);
    CREATE INDEX catalog_entries_namespace ON catalog_entries (namespace, name);
    CREATE INDEX catalog_entries_popularity ON catalog_entries (popularity DESC);
    -- removeMissing deletes what a full refresh of one source no longer listed.
    CREATE INDEX catalog_entries_updated ON catalog_entries (host, kind, updated_at);

    CREATE TABLE catalog_versions (
      entry_id     INTEGER NOT NULL REFERENCES catalog_entries (id) ON DELETE CASCADE,
      version      TEXT NOT NULL,
      published_at TEXT,
      -- The source's order (newest first), kept rather than re-sorted: versions are not always semver.
      position     INTEGER NOT NULL,
      PRIMARY KEY (entry_id, version)
    ) STRICT, WITHOUT ROWID;

    CREATE VIRTUAL TABLE catalog_fts USING fts5 (
      namespace, name, system, description,
      content = 'catalog_entries', content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    CREATE TRIGGER catalog_entries_fts_insert AFTER INSERT ON catalog_entries BEGIN
      INSERT INTO catalog_fts (rowid, namespace, name, system, description)
        VALUES (new.id, new.namespace, new.name, new.system, new.description);
    END;
    CREATE TRIGGER catalog_entries_fts_delete AFTER DELETE ON catalog_entries BEGIN
      INSERT INTO catalog_fts (catalog_fts, rowid, namespace, name, system, description)
        VALUES ('delete', old.id, old.namespace, old.name, old.system, old.description);
    END;
    CREATE TRIGGER catalog_entries_fts_update AFTER UPDATE OF namespace, name, system, description
      ON catalog_entries
      WHEN old.namespace IS NOT new.namespace OR old.name IS NOT new.name OR old.system IS NOT new.system
        OR old.description IS NOT new.description
    BEGIN
      INSERT INTO catalog_fts (catalog_fts, rowid, namespace, name, system, description)
        VALUES ('delete', old.id, old.namespace, old.name, old.system, old.description);
      INSERT INTO catalog_fts (rowid, namespace, name, system, description)
        VALUES (new.id, new.namespace, new.name, new.system, new.description);
    END;

    CREATE TABLE catalog_sources (
      host          TEXT NOT NULL COLLATE NOCASE,
      kind          TEXT NOT NULL CHECK (kind IN ('provider', 'module')),
      started_at    TEXT,
      finished_at   TEXT,
      etag          TEXT,
      resume_cursor TEXT,
      last_error    TEXT,
      PRIMARY KEY (host, kind)
    ) STRICT;
  `,
};
