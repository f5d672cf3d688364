import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BundleRepository } from "../../../main/db/bundle-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migration001Initial } from "../../../main/db/migrations/001-initial.js";
import { migration002Modules } from "../../../main/db/migrations/002-modules.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
const ID = "5e86d730-c66a-4362-aec5-09d13e81b6a3";
const RECORD = {
  id: ID,
  parentId: null,
  bundleCreatedAt: "2026-01-01T00:00:00.000Z",
  file: "/tmp/mirror.tar",
  size: 1024,
  providerPackages: 2,
  moduleVersions: 1,
  entries: 9,
  signedBy: null,
};

beforeEach(async () => {
  dir = await makeTempDir("db-migration-004");
  // Start from a version-2 database holding data, as an upgraded user's would.
  const file = join(dir.path, "larder.db");
  const v2 = openDatabase(file, [migration001Initial, migration002Modules]);
  v2.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)").run(
    "c".repeat(64),
    "2024-01-01",
  );
  v2.close();
  db = openDatabase(file, migrations);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 004 (bundles)", () => {
  it("upgrades a version-2 database, keeping its data, and adds the bundle history", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(migrations.at(-1)?.id);
    expect(db.prepare("SELECT count(*) AS n FROM bundles").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM blobs").get()).toEqual({ n: 1 });
    expect(new BundleRepository(db).list()).toEqual([]);
  });

  it("records one row per bundle and direction, keeping the manifest for --since", () => {
    const bundles = new BundleRepository(db);
    bundles.recordExport(RECORD, '{"id":"x"}');
    bundles.importInTransaction(RECORD, '{"id":"x"}', () => undefined);
    expect(bundles.find(ID).map((record) => record.direction)).toEqual(["export", "import"]);
    expect(bundles.manifestJson(ID)).toBe('{"id":"x"}');
    expect(() => {
      bundles.recordExport(RECORD, "{}");
    }).toThrow(sqliteRefusal(/UNIQUE|PRIMARY KEY/));
  });

  it("rolls the import's writes back with its history row when one of them fails", () => {
    const bundles = new BundleRepository(db);
    expect(() => {
      bundles.importInTransaction(RECORD, "{}", () => {
        db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)").run(
          "d".repeat(64),
          "2024-01-01",
        );
        throw new Error("verification failed midway");
      });
    }).toThrow(/midway/);
    expect(bundles.list()).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM blobs").get()).toEqual({ n: 1 });
  });

  it("refuses an unknown direction and a negative size", () => {
    const insert = (direction: string, size: number): void => {
      db.prepare(
        `INSERT INTO bundles (id, direction, bundle_created_at, recorded_at, file, size, provider_packages,
           module_versions, entries, manifest_json) VALUES ('x', ?, 'a', 'b', 'f', ?, 0, 0, 0, '{}')`,
      ).run(direction, size);
    };
    expect(() => {
      insert("sideways", 1);
    }).toThrow(sqliteRefusal(/CHECK/));
    expect(() => {
      insert("export", -1);
    }).toThrow(sqliteRefusal(/CHECK/));
  });
});
