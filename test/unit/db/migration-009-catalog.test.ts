import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;

const insertEntry = (system: string, kind = "module", name = "vpc"): void => {
  db.prepare(
    `INSERT INTO catalog_entries (host, kind, namespace, name, system, description, tier, verified, popularity,
       source, latest_version, updated_at)
     VALUES ('registry.terraform.io', ?, 'terraform-aws-modules', ?, ?, 'A VPC', NULL, 0, 5, NULL, '5.0.0', 't')`,
  ).run(kind, name, system);
};

beforeEach(async () => {
  dir = await makeTempDir("db-migration-009");
  const file = join(dir.path, "larder.db");
  // A database of the release before, holding an ingest session, as an upgraded user's would.
  const before = openDatabase(file, migrations.slice(0, 8));
  before.prepare("INSERT INTO ingest_sessions (pid, host, started_at_ms) VALUES (1, 'h', 2)").run();
  before.close();
  db = openDatabase(file, migrations.slice(0, 9));
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 009 (catalog)", () => {
  it("upgrades an older database, keeping its data, with an empty catalog", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(9);
    expect(db.prepare("SELECT pid FROM ingest_sessions").get()).toEqual({ pid: 1 });
    for (const table of ["catalog_entries", "catalog_versions", "catalog_sources", "catalog_fts"])
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
  });

  it("refuses a second entry whose address differs only in case", () => {
    insertEntry("aws", "module", "vpc");
    expect(() => {
      insertEntry("AWS", "module", "VPC");
    }).toThrow(/already holds a catalog entry/);
  });

  it("refuses a provider with a system and a module without one", () => {
    expect(() => {
      insertEntry("aws", "provider", "aws");
    }).toThrow(/SQLITE_CONSTRAINT_CHECK/);
    expect(() => {
      insertEntry("", "module");
    }).toThrow(/SQLITE_CONSTRAINT_CHECK/);
  });

  it("keeps the full-text index in step with inserts, text updates and deletes", () => {
    insertEntry("aws");
    const count = (word: string): unknown =>
      db.prepare("SELECT count(*) AS n FROM catalog_fts WHERE catalog_fts MATCH ?").get(word);
    expect(count("vpc")).toEqual({ n: 1 });
    db.prepare("UPDATE catalog_entries SET description = 'A network'").run();
    expect(count("vpc")).toEqual({ n: 1 });
    expect(count("network")).toEqual({ n: 1 });
    db.prepare("UPDATE catalog_entries SET name = 'net'").run();
    expect(count("vpc")).toEqual({ n: 0 });
    db.prepare("DELETE FROM catalog_entries").run();
    expect(count("network")).toEqual({ n: 0 });
    // The external-content index agrees with its table: FTS5's integrity check compares them.
    expect(() =>
      db.prepare("INSERT INTO catalog_fts (catalog_fts, rank) VALUES ('integrity-check', 1)").run(),
    ).not.toThrow();
  });

  it("deletes an entry's versions with it", () => {
    insertEntry("aws");
    db.prepare(
      "INSERT INTO catalog_versions (entry_id, version, published_at, position) SELECT id, '1.0.0', NULL, 0 FROM catalog_entries",
    ).run();
    db.prepare("DELETE FROM catalog_entries").run();
    expect(db.prepare("SELECT count(*) AS n FROM catalog_versions").get()).toEqual({ n: 0 });
  });
});
