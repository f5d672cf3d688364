// Migrations 12–15 (issue 16) on a database of the release before them, holding jobs and items: the jobs table is
// rebuilt for the new kind without losing a row or cascading its drop into job_items, the foreign keys still bind,
// and the config cache, remote module snapshot and projects tables arrive empty.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
const NOW = "2026-01-01T00:00:00.000Z";

beforeEach(async () => {
  dir = await makeTempDir("db-migration-012");
  const file = join(dir.path, "larder.db");
  const before = openDatabase(file, migrations.slice(0, 11));
  const job = before
    .prepare(
      "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES ('mirror-module', 'm', '{}', ?, ?)",
    )
    .run(NOW, NOW).lastInsertRowid;
  before
    .prepare(
      `INSERT INTO job_items (job_id, kind, label, ref_json, host, state, created_at, updated_at)
       VALUES (?, 'module-version', 'module x 1.0.0', '{}', 'registry.terraform.io', 'succeeded', ?, ?)`,
    )
    .run(job, NOW, NOW);
  before.close();
  db = openDatabase(file);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migrations 012 (project jobs), 013 (config cache), 014 (remote modules) and 015 (projects)", () => {
  it("keeps every job and item, and admits project jobs", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(15);
    expect(db.prepare("SELECT id, kind, what FROM jobs").all()).toEqual([
      { id: 1, kind: "mirror-module", what: "m" },
    ]);
    expect(db.prepare("SELECT job_id, label FROM job_items").all()).toEqual([
      { job_id: 1, label: "module x 1.0.0" },
    ]);
    db.prepare(
      "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES ('mirror-project', 'p', '{}', ?, ?)",
    ).run(NOW, NOW);
    expect(() =>
      db
        .prepare(
          "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES ('nonsense', 'p', '{}', ?, ?)",
        )
        .run(NOW, NOW),
    ).toThrow(sqliteRefusal(/CHECK/));
  });

  it("still cascades a job's delete into its items, and refuses an item of no job", () => {
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    db.prepare("DELETE FROM jobs WHERE id = 1").run();
    expect(db.prepare("SELECT count(*) AS n FROM job_items").get()).toEqual({ n: 0 });
    expect(() =>
      db
        .prepare(
          `INSERT INTO job_items (job_id, kind, label, ref_json, host, state, created_at, updated_at)
             VALUES (99, 'module-version', 'x', '{}', 'h', 'queued', ?, ?)`,
        )
        .run(NOW, NOW),
    ).toThrow(sqliteRefusal(/FOREIGN KEY/));
  });

  it("adds an empty config cache and remote module table; a snapshot must name a stored blob", () => {
    expect(db.prepare("SELECT count(*) AS n FROM config_cache").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM remote_modules").get()).toEqual({ n: 0 });
    expect(() =>
      db
        .prepare("INSERT INTO remote_modules (source, archive_blob, fetched_at) VALUES ('git::x', ?, ?)")
        .run("a".repeat(64), NOW),
    ).toThrow(sqliteRefusal(/FOREIGN KEY/));
  });

  it("adds an empty projects table: one project per path, a folder or an upload", () => {
    expect(db.prepare("SELECT count(*) AS n FROM projects").get()).toEqual({ n: 0 });
    const insert = (kind: string, path: string): unknown =>
      db
        .prepare(
          `INSERT INTO projects (name, kind, path, clients_json, platforms_json, reachable_json, created_at)
           VALUES ('p', ?, ?, '[]', '[]', '[]', ?)`,
        )
        .run(kind, path, NOW);
    insert("folder", "/srv/app");
    expect(() => insert("upload", "/srv/app")).toThrow(sqliteRefusal(/UNIQUE/));
    expect(() => insert("zip", "/srv/other")).toThrow(sqliteRefusal(/CHECK/));
  });
});
