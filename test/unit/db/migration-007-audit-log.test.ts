import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;

const insert =
  "INSERT INTO audit_log (at, actor, action, target, outcome) VALUES ('2026-01-01T00:00:00Z', ?, 'x', 't', ?)";

beforeEach(async () => {
  dir = await makeTempDir("db-migration-007");
  const file = join(dir.path, "larder.db");
  // A version-6 database with a setting, as an upgraded user's would be.
  const v6 = openDatabase(file, migrations.slice(0, 6));
  v6.prepare(
    "INSERT INTO settings (key, value_json, updated_at) VALUES ('clients', '[\"tofu\"]', 'now')",
  ).run();
  v6.close();
  db = openDatabase(file, migrations.slice(0, 7));
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 007 (audit log)", () => {
  it("is number 7 and upgrades a version-6 database, keeping its rows, to an empty log", () => {
    expect(migrations[6]).toMatchObject({ id: 7, name: "audit-log" });
    expect(db.pragma("user_version", { simple: true })).toBe(7);
    expect(db.prepare("SELECT value_json FROM settings").pluck().get()).toBe('["tofu"]');
    expect(db.prepare("SELECT COUNT(*) FROM audit_log").pluck().get()).toBe(0);
  });

  it("accepts every actor kind and both outcomes, with peer, user agent and detail optional", () => {
    for (const actor of ["cli", "ui", "api", "pull-through"]) db.prepare(insert).run(actor, "ok");
    db.prepare(insert).run("cli", "failed");
    expect(
      db.prepare("SELECT COUNT(*) FROM audit_log WHERE peer IS NULL AND detail IS NULL").pluck().get(),
    ).toBe(5);
  });

  it("refuses an unknown actor or outcome", () => {
    expect(() => db.prepare(insert).run("robot", "ok")).toThrow(sqliteRefusal(/CHECK/));
    expect(() => db.prepare(insert).run("cli", "maybe")).toThrow(sqliteRefusal(/CHECK/));
  });

  it("indexes the time", () => {
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'")
      .pluck()
      .all();
    expect(indexes).toContain("audit_log_at");
  });
});
