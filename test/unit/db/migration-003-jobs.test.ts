import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migration001Initial } from "../../../main/db/migrations/001-initial.js";
import { migration002Modules } from "../../../main/db/migrations/002-modules.js";
import { migration003Jobs } from "../../../main/db/migrations/003-jobs.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
const NOW = "2024-01-01T00:00:00.000Z";

function insertJob(): number {
  return Number(
    db
      .prepare(
        "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES ('mirror-provider', 'x', '{}', ?, ?)",
      )
      .run(NOW, NOW).lastInsertRowid,
  );
}

function insertItem(jobId: number, state: string, reason: string | null = null): void {
  db.prepare(
    `INSERT INTO job_items (job_id, kind, label, ref_json, host, state, reason, created_at, updated_at)
     VALUES (?, 'provider-package', 'p', '{}', 'registry.terraform.io', ?, ?, ?, ?)`,
  ).run(jobId, state, reason, NOW, NOW);
}

beforeEach(async () => {
  dir = await makeTempDir("db-migration-003");
  // Start from a version-2 database holding data, as an upgraded user's would.
  const file = join(dir.path, "larder.db");
  const v2 = openDatabase(file, [migration001Initial, migration002Modules]);
  v2.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, ?)").run("c".repeat(64), NOW);
  v2.close();
  db = openDatabase(file, [migration001Initial, migration002Modules, migration003Jobs]);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 003 (jobs)", () => {
  it("upgrades a version-2 database, keeping its data, to user_version 3 with jobs and job_items", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(3);
    expect(db.prepare("SELECT count(*) AS n FROM blobs").get()).toEqual({ n: 1 });
    const names = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE name LIKE 'job%' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(names).toEqual(["job_items", "job_items_job_state", "jobs"]);
  });

  it("refuses an unknown state, a failed item without a reason, and a reason on any other state", () => {
    const job = insertJob();
    expect(() => {
      insertItem(job, "exploded");
    }).toThrow(sqliteRefusal(/CHECK/));
    expect(() => {
      insertItem(job, "failed");
    }).toThrow(sqliteRefusal(/CHECK/));
    expect(() => {
      insertItem(job, "queued", "why");
    }).toThrow(sqliteRefusal(/CHECK/));
    insertItem(job, "failed", "the archive was tampered with");
  });

  it("refuses a request that is not JSON and items of a job that does not exist; deleting a job drops its items", () => {
    expect(() =>
      db
        .prepare(
          "INSERT INTO jobs (kind, what, request_json, created_at, updated_at) VALUES ('mirror-provider', 'x', '{', ?, ?)",
        )
        .run(NOW, NOW),
    ).toThrow(sqliteRefusal(/CHECK/));
    expect(() => {
      insertItem(999, "queued");
    }).toThrow(sqliteRefusal(/FOREIGN KEY/));
    const job = insertJob();
    insertItem(job, "queued");
    db.prepare("DELETE FROM jobs WHERE id = ?").run(job);
    expect(db.prepare("SELECT count(*) AS n FROM job_items").get()).toEqual({ n: 0 });
  });
});
