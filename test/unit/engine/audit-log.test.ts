import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { AuditRepository } from "../../../main/db/audit-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { AuditLog, type AuditActor } from "../../../main/engine/audit-log.js";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
let warnings: string[];
let log: AuditLog;
const at = new Date("2026-03-04T05:06:07.000Z");
const client: AuditActor = { kind: "pull-through", peer: "192.0.2.7", userAgent: "Terraform/1.9.0" };

beforeEach(async () => {
  dir = await makeTempDir("engine-audit");
  db = openDatabase(join(dir.path, "larder.db"));
  warnings = [];
  log = new AuditLog(
    new AuditRepository(db),
    (message) => warnings.push(message),
    () => at,
  );
});

afterEach(async () => {
  if (db.open) db.close();
  await dir.remove();
});

describe("AuditLog", () => {
  it("records an outcome with the actor's peer and user agent, null when absent", () => {
    log.record(client, "pull-through.provider", "fixture/alpha 1.0.0 linux_amd64", "ok");
    log.record({ kind: "cli" }, "config.set", "clients", "ok", "clients = tofu");
    expect(log.page({ limit: 10 }).entries).toEqual([
      {
        id: 2,
        at: at.toISOString(),
        actor: "cli",
        peer: null,
        userAgent: null,
        action: "config.set",
        target: "clients",
        outcome: "ok",
        detail: "clients = tofu",
      },
      {
        id: 1,
        at: at.toISOString(),
        actor: "pull-through",
        peer: "192.0.2.7",
        userAgent: "Terraform/1.9.0",
        action: "pull-through.provider",
        target: "fixture/alpha 1.0.0 linux_amd64",
        outcome: "ok",
        detail: null,
      },
    ]);
  });

  it("audited records ok with the summary and returns the result", async () => {
    const result = await log.audited(
      { kind: "api" },
      "job.pause",
      "job 3",
      () => 42,
      (n) => `paused ${n}`,
    );
    expect(result).toBe(42);
    expect(log.page({ limit: 1 }).entries[0]).toMatchObject({ outcome: "ok", detail: "paused 42" });
  });

  it("audited records failed with the error's message and rethrows the same error", async () => {
    const error = new LarderError("not_found", "Provider fixture/nope does not exist.");
    await expect(
      log.audited({ kind: "cli" }, "mirror.provider", "fixture/nope", () => Promise.reject(error)),
    ).rejects.toBe(error);
    expect(log.page({ limit: 1 }).entries[0]).toMatchObject({
      action: "mirror.provider",
      outcome: "failed",
      detail: "Provider fixture/nope does not exist.",
    });
  });

  it("audited still records ok when the summary itself throws", async () => {
    await log.audited(
      { kind: "cli" },
      "config.unset",
      "clients",
      () => "x",
      () => {
        throw new Error("boom");
      },
    );
    expect(log.page({ limit: 1 }).entries[0]).toMatchObject({ outcome: "ok", detail: "(no summary: boom)" });
  });

  it("never fails the action when the row cannot be written: the failure is only warned about", async () => {
    db.close();
    expect(() => {
      log.record({ kind: "cli" }, "config.set", "clients", "ok");
    }).not.toThrow();
    await expect(log.audited({ kind: "cli" }, "job.cancel", "job 1", () => "done")).resolves.toBe("done");
    const error = new Error("the work's own failure");
    await expect(
      log.audited({ kind: "cli" }, "job.cancel", "job 1", () => Promise.reject(error)),
    ).rejects.toBe(error);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^Could not write the audit log entry for config\.set clients: /);
  });

  it("pages newest first with nextBefore until the last page", () => {
    for (let n = 1; n <= 5; n++) log.record({ kind: "cli" }, "job.retry", `job ${n}`, "ok");
    const first = log.page({ limit: 2 });
    expect(first.entries.map((entry) => entry.target)).toEqual(["job 5", "job 4"]);
    expect(first.nextBefore).toBe(4);
    const second = log.page({ limit: 2, before: 4 });
    expect(second.nextBefore).toBe(2);
    const last = log.page({ limit: 2, before: 2 });
    expect(last.entries.map((entry) => entry.target)).toEqual(["job 1"]);
    expect(last.nextBefore).toBeNull();
  });

  it("filters by actor and action", () => {
    log.record({ kind: "cli" }, "job.retry", "job 1", "ok");
    log.record(client, "pull-through.module", "acme/x/aws 1.0.0", "failed", "upstream down");
    expect(log.page({ limit: 10, actor: "pull-through" }).entries.map((entry) => entry.id)).toEqual([2]);
    expect(log.page({ limit: 10, action: "job.retry" }).entries.map((entry) => entry.id)).toEqual([1]);
  });

  it("cuts a very long detail", () => {
    log.record({ kind: "cli" }, "bundle.import", "b.tar", "failed", "x".repeat(10_000));
    expect(log.page({ limit: 1 }).entries[0]?.detail).toHaveLength(2000);
  });

  it("refuses invalid paging as invalid_input", () => {
    for (const query of [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { limit: 10, before: 0 }]) {
      expect(errorOf(() => log.page(query)).code).toBe("invalid_input");
    }
    // The API passes strings through as they came; an unknown actor is refused, not silently empty.
    expect(errorOf(() => log.page({ limit: 10, actor: "robot" as "cli" })).code).toBe("invalid_input");
  });
});
