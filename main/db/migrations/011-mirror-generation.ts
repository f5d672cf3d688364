import type { Migration } from "./migration.js";

/**
 * A counter that moves whenever what the protocols answer can change (issue 15): the server keeps its serialized
 * metadata answers in memory and drops them when the counter moved. Triggers bump it, so a write by any process on
 * the data dir (a `larder mirror` beside `larder serve`, an older release's code path) is seen at the next request
 * without every writer having to remember to announce it.
 */
export const migration011MirrorGeneration: Migration = {
  id: 11,
  name: "mirror-generation",
  sql: `
    CREATE TABLE mirror_generation (
      id    INTEGER PRIMARY KEY CHECK (id = 1),
      value INTEGER NOT NULL
    ) STRICT;
    INSERT INTO mirror_generation (id, value) VALUES (1, 0);

    CREATE TRIGGER provider_releases_generation_insert AFTER INSERT ON provider_releases
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER provider_releases_generation_update AFTER UPDATE ON provider_releases
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER provider_releases_generation_delete AFTER DELETE ON provider_releases
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER provider_packages_generation_insert AFTER INSERT ON provider_packages
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER provider_packages_generation_update AFTER UPDATE ON provider_packages
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER provider_packages_generation_delete AFTER DELETE ON provider_packages
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER module_versions_generation_insert AFTER INSERT ON module_versions
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER module_versions_generation_update AFTER UPDATE ON module_versions
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
    CREATE TRIGGER module_versions_generation_delete AFTER DELETE ON module_versions
      BEGIN UPDATE mirror_generation SET value = value + 1; END;
  `,
};
