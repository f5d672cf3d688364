import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { JobControlRepository } from "../../../main/db/job-control-repository.js";
import { JobRepository } from "../../../main/db/job-repository.js";
import type { Lease } from "../../../main/db/job-rows.js";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
let jobs: JobRepository;
let control: JobControlRepository;
const OWNER = { pid: 4242, host: "here" };
const alive = (): boolean => true;
const dead = (): boolean => false;

function newJob(count = 2, failedReason?: string): { id: number; items: number[] } {
  const job = jobs.create(
    "mirror-provider",
    "provider x",
    JSON.stringify({ address: "x" }),
    Array.from({ length: count }, (_, index) => ({
      kind: "provider-package" as const,
      label: `pkg ${index}`,
      refJson: "{}",
      host: "registry.terraform.io",
      ...(index === 0 && failedReason !== undefined ? { failedReason } : {}),
    })),
  );
  return { id: job.id, items: jobs.items(job.id).map((item) => item.id) };
}

function statuses(jobId: number): string[] {
  return jobs.items(jobId).map((item) => item.state.status);
}

/** Asserts that `action` throws a LarderError with this code and a matching message. */
function expectLarderError(action: () => unknown, code: string, message: RegExp): void {
  const error = errorOf(action);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

beforeEach(async () => {
  dir = await makeTempDir("db-jobs");
  db = openDatabase(join(dir.path, "larder.db"));
  jobs = new JobRepository(db);
  control = new JobControlRepository(db);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("JobRepository", () => {
  it("stores a job with its items queued, and planning refusals as failed with their reason", () => {
    const { id } = newJob(2, "not available upstream");
    expect(jobs.get(id)).toMatchObject({ kind: "mirror-provider", what: "provider x", lease: undefined });
    expect(jobs.items(id).map((item) => item.state)).toEqual([
      { status: "failed", reason: "not available upstream" },
      { status: "queued", interrupted: false },
    ]);
  });

  it("moves items along legal transitions and refuses illegal ones with a conflict naming the item", () => {
    const { items } = newJob(1);
    const [item = 0] = items;
    expect(jobs.setItemState(item, { status: "running" })).toBe(true);
    expect(jobs.setItemState(item, { status: "succeeded" })).toBe(true);
    expectLarderError(
      () => jobs.setItemState(item, { status: "queued", interrupted: false }),
      "conflict",
      /pkg 0.*succeeded.*cannot become queued/,
    );
    const [other = 0] = newJob(1).items;
    expectLarderError(
      () => jobs.setItemState(other, { status: "succeeded" }),
      "conflict",
      /queued; it cannot become succeeded/,
    );
    expectLarderError(
      () => jobs.setItemState(other, { status: "failed", reason: "x" }),
      "conflict",
      /cannot become failed/,
    );
  });

  it("does nothing when the item is no longer in the expected state (someone else moved it)", () => {
    const [item = 0] = newJob(1).items;
    jobs.setItemState(item, { status: "paused" });
    expect(jobs.setItemState(item, { status: "running" }, "queued")).toBe(false);
    expect(jobs.items(jobs.list()[0]?.id ?? 0)[0]?.state).toEqual({ status: "paused" });
  });

  it("names unknown jobs and items", () => {
    expectLarderError(() => jobs.get(77), "not_found", /There is no job 77/);
    const { id } = newJob(1);
    expectLarderError(() => jobs.item(id, 99), "not_found", new RegExp(`Job ${id} has no item 99`));
  });
});

describe("JobControlRepository", () => {
  it("pauses queued items at once and only flags running ones when a live process runs the job", () => {
    const { id, items } = newJob(2);
    expect(control.acquireLease(id, OWNER, Date.now(), alive)).toBeUndefined();
    jobs.setItemState(items[0] ?? 0, { status: "running" });
    const result = control.control(id, "pause", undefined, alive);
    expect(result).toMatchObject({ changed: 1, waiting: 1, owner: { pid: OWNER.pid } });
    expect(statuses(id)).toEqual(["running", "paused"]);
    expect(control.pendingRequests(id)).toEqual([{ itemId: items[0], requested: "pause" }]);
  });

  it("cancels running items directly when their owner is dead", () => {
    const { id, items } = newJob(1);
    control.acquireLease(id, OWNER, Date.now(), alive);
    jobs.setItemState(items[0] ?? 0, { status: "running" });
    expect(control.control(id, "cancel", undefined, dead)).toMatchObject({ changed: 1, waiting: 0 });
    expect(statuses(id)).toEqual(["cancelled"]);
  });

  it("retries failed and cancelled items, resumes paused ones, and refuses an action with nothing to do", () => {
    const { id, items } = newJob(3, "tampered");
    control.control(id, "cancel", items[1], dead);
    control.control(id, "pause", items[2], dead);
    expect(statuses(id)).toEqual(["failed", "cancelled", "paused"]);
    expect(control.control(id, "retry", undefined, dead).changed).toBe(2);
    expect(control.control(id, "resume", undefined, dead).changed).toBe(1);
    expect(statuses(id)).toEqual(["queued", "queued", "queued"]);
    expectLarderError(
      () => control.control(id, "retry", undefined, dead),
      "conflict",
      /nothing to retry: its items are 3 queued/,
    );
    expectLarderError(
      () => control.control(id, "resume", items[0], dead),
      "conflict",
      /Item .* is queued; there is nothing to resume/,
    );
  });

  it("refuses a lease held by a live process and takes over a dead one, re-queueing its running items as interrupted", () => {
    const { id, items } = newJob(1);
    control.acquireLease(id, OWNER, 1, alive);
    jobs.setItemState(items[0] ?? 0, { status: "running" });
    const other = { pid: 5151, host: "here" };
    expect(control.acquireLease(id, other, 2, alive)).toMatchObject({ pid: OWNER.pid });
    expect(control.acquireLease(id, other, 2, dead)).toBeUndefined();
    expect(jobs.get(id).lease).toEqual({ ...other, heartbeatAt: 2 } satisfies Lease);
    expect(jobs.items(id)[0]?.state).toEqual({ status: "queued", interrupted: true });
  });

  it("recovers jobs whose owner died: running items queued and interrupted, the dead lease dropped", () => {
    const { id, items } = newJob(2);
    control.acquireLease(id, OWNER, 1, alive);
    jobs.setItemState(items[0] ?? 0, { status: "running" });
    expect(control.recoverAbandoned(alive)).toEqual([]);
    expect(control.recoverAbandoned(dead)).toEqual([id]);
    expect(jobs.get(id).lease).toBeUndefined();
    expect(jobs.items(id).map((item) => item.state)).toEqual([
      { status: "queued", interrupted: true },
      { status: "queued", interrupted: false },
    ]);
    expect(control.unownedWithQueuedItems(alive)).toEqual([id]);
  });

  it("keeps the lease when an item was queued before the owner let go", () => {
    const { id } = newJob(1);
    control.acquireLease(id, OWNER, 1, alive);
    expect(control.releaseIfIdle(id, OWNER)).toBe(false);
    expect(jobs.get(id).lease?.pid).toBe(OWNER.pid);
    control.control(id, "cancel", undefined, alive);
    expect(control.releaseIfIdle(id, OWNER)).toBe(true);
    expect(jobs.get(id).lease).toBeUndefined();
  });
});
