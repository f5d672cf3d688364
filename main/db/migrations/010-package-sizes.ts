import type { Migration } from "./migration.js";

/**
 * Estimated archive sizes of provider packages not (yet) stored, for the Browse page's "how much would this take"
 * (issue 12, architecture §9). A row is what a registry's download answer said (`registry`) or what a `HEAD` on its
 * download_url answered (`head`). A published version's packages never change, so a row is kept until the version
 * disappears from the registry's `versions` list; failures are not kept, so a later call can try again.
 * Identity folds case like catalog_entries; platform segments are plain lower-case words already.
 */
export const migration010PackageSizes: Migration = {
  id: 10,
  name: "package-sizes",
  sql: `
    CREATE TABLE package_sizes (
      host       TEXT NOT NULL COLLATE NOCASE,
      namespace  TEXT NOT NULL COLLATE NOCASE,
      type       TEXT NOT NULL COLLATE NOCASE,
      version    TEXT NOT NULL,
      os         TEXT NOT NULL,
      arch       TEXT NOT NULL,
      size       INTEGER NOT NULL CHECK (size >= 0),
      source     TEXT NOT NULL CHECK (source IN ('registry', 'head')),
      fetched_at TEXT NOT NULL,
      PRIMARY KEY (host, namespace, type, version, os, arch)
    ) WITHOUT ROWID;
  `,
};
