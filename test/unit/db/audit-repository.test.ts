import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditActorKind } from "../../../main/core/audit.js";
import { AuditRepository, type AuditRecord } from "../../../main/db/audit-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;

beforeEach(async () => {
  dir = await makeTempDir("db-audit");
  db = openDatabase(join(dir.path, "larder.db"));
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

const row = (n: number, actor: AuditActorKind = "cli", action = "config.set"): Omit<AuditRecord, "id"> => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  actor,
  peer: actor === "cli" ? null : "10.0.0.1",
  userAgent: actor === "cli" ? null : "Terraform/1.9.0",
  action,
  target: `target ${n}`,
  outcome: n % 2 === 0 ? "ok" : "failed",
  detail: n % 2 === 0 ? null : `error ${n}`,
});

describe("AuditRepository", () => {
  it("reads back what it stored, nulls included, newest first", () => {
    const repo = new AuditRepository(db);
    const first = repo.insert(row(1, "api"));
    const second = repo.insert(row(2));
    const { records, more } = repo.page({ limit: 10 });
    expect(more).toBe(false);
    expect(records).toEqual([
      { id: second, ...row(2) },
      { id: first, ...row(1, "api") },
    ]);
  });

  it("pages with the before cursor until no more rows are left", () => {
    const repo = new AuditRepository(db);
    for (let n = 1; n <= 5; n++) repo.insert(row(n));
    const one = repo.page({ limit: 2 });
    expect(one.records.map((record) => record.id)).toEqual([5, 4]);
    expect(one.more).toBe(true);
    const two = repo.page({ limit: 2, before: 4 });
    expect(two.records.map((record) => record.id)).toEqual([3, 2]);
    expect(two.more).toBe(true);
    const three = repo.page({ limit: 2, before: 2 });
    expect(three.records.map((record) => record.id)).toEqual([1]);
    expect(three.more).toBe(false);
  });

  it("filters by actor and by action, together with the cursor", () => {
    const repo = new AuditRepository(db);
    repo.insert(row(1, "cli", "mirror.provider"));
    repo.insert(row(2, "pull-through", "pull-through.provider"));
    repo.insert(row(3, "cli", "config.set"));
    repo.insert(row(4, "cli", "mirror.provider"));
    expect(repo.page({ limit: 10, actor: "cli" }).records.map((record) => record.id)).toEqual([4, 3, 1]);
    expect(repo.page({ limit: 10, action: "mirror.provider" }).records.map((record) => record.id)).toEqual([
      4, 1,
    ]);
    expect(repo.page({ limit: 10, actor: "cli", action: "mirror.provider", before: 4 }).records).toHaveLength(
      1,
    );
    expect(repo.page({ limit: 10, actor: "ui" }).records).toEqual([]);
  });

  it("keeps only the newest rows, pruning on every pruneEvery-th id", () => {
    const repo = new AuditRepository(db, { keep: 5, pruneEvery: 4 });
    for (let n = 1; n <= 7; n++) repo.insert(row(n));
    // Id 4 pruned nothing (4 − 5 < 1); the table may exceed `keep` until the next prune.
    expect(repo.page({ limit: 100 }).records).toHaveLength(7);
    repo.insert(row(8));
    // Id 8 deletes ids ≤ 3: the newest five remain.
    expect(repo.page({ limit: 100 }).records.map((record) => record.id)).toEqual([8, 7, 6, 5, 4]);
  });
});
