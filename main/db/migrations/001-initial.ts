import type { Migration } from "./migration.js";

/** Blobs and provider packages: what issue 2's provider mirror stores. */
export const migration001Initial: Migration = {
  id: 1,
  name: "initial",
  sql: `
    CREATE TABLE blobs (
      sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      size       INTEGER NOT NULL CHECK (size >= 0),
      created_at TEXT NOT NULL
    ) STRICT;

    -- One provider version from one upstream host. SHA256SUMS, its signature and the signing keys are kept
    -- exactly as the registry returned them, because clients verify them again and we cannot re-sign.
    CREATE TABLE provider_releases (
      id                     INTEGER PRIMARY KEY,
      host                   TEXT NOT NULL,
      namespace              TEXT NOT NULL,
      type                   TEXT NOT NULL,
      version                TEXT NOT NULL,
      shasums_blob           TEXT NOT NULL REFERENCES blobs (sha256),
      signature_blob         TEXT NOT NULL REFERENCES blobs (sha256),
      signing_keys_json      TEXT NOT NULL,
      verified_key_id        TEXT NOT NULL,
      shasums_url            TEXT NOT NULL,
      signature_url          TEXT NOT NULL,
      created_at             TEXT NOT NULL,
      UNIQUE (host, namespace, type, version)
    ) STRICT;

    -- One platform's archive of a release. A row exists only once the archive is stored and verified.
    CREATE TABLE provider_packages (
      id             INTEGER PRIMARY KEY,
      release_id     INTEGER NOT NULL REFERENCES provider_releases (id) ON DELETE CASCADE,
      os             TEXT NOT NULL,
      arch           TEXT NOT NULL,
      filename       TEXT NOT NULL,
      protocols_json TEXT NOT NULL,
      archive_blob   TEXT NOT NULL REFERENCES blobs (sha256),
      size           INTEGER NOT NULL,
      h1             TEXT NOT NULL,
      download_url   TEXT NOT NULL,
      created_at     TEXT NOT NULL,
      UNIQUE (release_id, os, arch),
      UNIQUE (release_id, filename)
    ) STRICT;

    CREATE INDEX provider_packages_archive ON provider_packages (archive_blob);
  `,
};
