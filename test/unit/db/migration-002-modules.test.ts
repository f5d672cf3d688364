import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migration001Initial } from "../../../main/db/migrations/001-initial.js";
import { migration002Modules } from "../../../main/db/migrations/002-modules.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
const SHA = "c".repeat(64);
const NOW = "2024-01-01T00:00:00.000Z";

function insertModule(namespace: string, name: string, version: string, kind = "archive", blob = SHA): void {
  db.prepare(
    `INSERT INTO module_versions (host, namespace, name, system, version, archive_blob, size, subdir, source_kind,
       upstream_location, created_at) VALUES ('registry.terraform.io', ?, ?, 'aws', ?, ?, 10, '', ?, 'https://x/y.tgz', ?)`,
  ).run(namespace, name, version, blob, kind, NOW);
}

beforeEach(async () => {
  dir = await makeTempDir("db-migration-002");
  // Start from a database at version 1 holding data, as an upgraded user's would.
  const file = join(dir.path, "larder.db");
  const v1 = openDatabase(file, [migration001Initial]);
  v1.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)").run(SHA, NOW);
  v1.close();
  db = openDatabase(file, [migration001Initial, migration002Modules]);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 002 (modules)", () => {
  it("upgrades a version-1 database, keeping its data, to user_version 2 with module_versions", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) AS n FROM blobs").get()).toEqual({ n: 1 });
    const names = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE name LIKE 'module_%' ORDER BY name",
      )
      .all()
      .map((row) => row.name);
    expect(names).toEqual(["module_versions", "module_versions_archive"]);
  });

  it("treats namespace and name case-insensitively for uniqueness and lookups, keeping the stored case", () => {
    insertModule("Acme", "Network", "1.0.0");
    expect(() => {
      insertModule("acme", "network", "1.0.0");
    }).toThrow(sqliteRefusal(/UNIQUE/));
    const row = db
      .prepare<[], { namespace: string; name: string }>(
        "SELECT namespace, name FROM module_versions WHERE namespace = 'ACME' AND name = 'network'",
      )
      .get();
    expect(row).toEqual({ namespace: "Acme", name: "Network" });
  });

  it("refuses an unknown source kind and an archive that is not a stored blob", () => {
    expect(() => {
      insertModule("acme", "x", "1.0.0", "s3");
    }).toThrow(sqliteRefusal(/CHECK/));
    expect(() => {
      insertModule("acme", "x", "1.0.0", "archive", "d".repeat(64));
    }).toThrow(sqliteRefusal(/FOREIGN KEY/));
  });
});
