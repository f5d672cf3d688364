import type { Migration } from "./migration.js";

/**
 * What Terraform configuration files say, by the hash of their bytes (issue 16). `larder check` reads a project's
 * files and every stored module it calls; parsing HCL needs a WebAssembly runtime that costs ~0.3 s to start, so a
 * file already read is answered from here instead. Keyed by content, the rows never go stale; `reader` names the
 * version of the reading code, so a change to what is read ignores older rows. The table is a cache: deleting any
 * row loses nothing.
 */
export const migration013ConfigCache: Migration = {
  id: 13,
  name: "config-cache",
  sql: `
    CREATE TABLE config_cache (
      id          INTEGER PRIMARY KEY,
      key         TEXT NOT NULL UNIQUE CHECK (length(key) = 64),
      reader      INTEGER NOT NULL,
      config_json TEXT NOT NULL CHECK (json_valid(config_json))
    ) STRICT;
  `,
};
