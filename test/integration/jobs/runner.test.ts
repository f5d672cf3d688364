import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import type { LarderEvent } from "../../../main/engine/larder-events.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import {
  archivePath,
  archiveRequests,
  expectStoredAsServed,
  packageOf,
  partialSize,
} from "../downloads/download-support.js";
import { firstBytes, openJobLarder, waitUntil } from "./job-support.js";

let fixture: FixtureUpstream;
let temp: TempDir;
let larder: Larder | undefined;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});
afterAll(async () => {
  await fixture.stop();
});
beforeEach(async () => {
  temp = await makeTempDir("jobs-runner");
  fixture.clearRequests();
});
afterEach(async () => {
  larder?.close();
  larder = undefined;
  await temp.remove();
});

/** Paces every listed package's archive to take about `seconds` each. */
function slow(
  namespace: string,
  type: string,
  versions: string[],
  platforms: string[],
  seconds: number,
): void {
  for (const version of versions)
    for (const platform of platforms) {
      const pkg = fixture.packageOf(namespace, type, version, platform);
      fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / seconds)));
    }
}

function unslow(namespace: string, type: string, versions: string[], platforms: string[]): void {
  for (const version of versions)
    for (const platform of platforms)
      fixture.slowDown(archivePath(fixture.packageOf(namespace, type, version, platform)), 0);
}

const ALPHA_PLATFORMS = ["linux_amd64", "darwin_arm64", "windows_amd64"];
const BETA_PLATFORMS = ["linux_amd64", "linux_arm64"];

describe("job workers", () => {
  it("run at most the per-host limit against one host, and publish job and item state changes", async () => {
    const open = await openJobLarder(fixture, temp.path, { global: 4, perHost: 2 });
    larder = open;
    slow("fixture", "alpha", ["1.0.0", "1.1.0"], ALPHA_PLATFORMS, 0.6);
    const events: LarderEvent[] = [];
    open.events.subscribe((event) => events.push(event));
    try {
      const job = await open.jobs.createProviderJob({
        address: "fixture/alpha",
        versions: ["1.0.0", "1.1.0"],
        platforms: ALPHA_PLATFORMS,
      });
      const result = await open.jobs.run(job.id);
      expect(result.state).toEqual({ status: "succeeded" });
      expect(result.stored).toBe(6);
      expect(fixture.peakInFlight("/releases/")).toBe(2);
      const jobStates = events.flatMap((event) => (event.kind === "job" ? [event.state.status] : []));
      expect(jobStates[0]).toBe("queued");
      expect(jobStates).toContain("running");
      expect(jobStates.at(-1)).toBe("succeeded");
      const itemStates = events.flatMap((event) => (event.kind === "job-item" ? [event.state.status] : []));
      expect(itemStates.filter((state) => state === "running")).toHaveLength(6);
      expect(itemStates.filter((state) => state === "succeeded")).toHaveLength(6);
    } finally {
      unslow("fixture", "alpha", ["1.0.0", "1.1.0"], ALPHA_PLATFORMS);
    }
  });

  it("run at most the global limit across hosts and jobs", async () => {
    const open = await openJobLarder(fixture, temp.path, { global: 3, perHost: 2 });
    larder = open;
    slow("fixture", "alpha", ["1.0.0"], ALPHA_PLATFORMS, 0.6);
    slow("fixture", "beta", ["0.3.0", "0.4.0"], BETA_PLATFORMS, 0.6);
    try {
      const first = await open.jobs.createProviderJob({
        address: "fixture/alpha",
        versions: ["1.0.0"],
        platforms: ALPHA_PLATFORMS,
      });
      const second = await open.jobs.createProviderJob({
        address: "registry.opentofu.org/fixture/beta",
        versions: ["0.3.0", "0.4.0"],
        platforms: BETA_PLATFORMS,
      });
      const results = await Promise.all([open.jobs.run(first.id), open.jobs.run(second.id)]);
      expect(results.map((result) => result.state.status)).toEqual(["succeeded", "succeeded"]);
      expect(fixture.peakInFlight("/releases/")).toBe(3);
    } finally {
      unslow("fixture", "alpha", ["1.0.0"], ALPHA_PLATFORMS);
      unslow("fixture", "beta", ["0.3.0", "0.4.0"], BETA_PLATFORMS);
    }
  });
});

describe("pause, cancel, resume and retry", () => {
  const pkgOf = () => packageOf(fixture);
  const request = { address: "fixture/alpha", versions: ["1.0.0"], platforms: ["linux_amd64"] };

  it("cancel stops the transfer at once: no further bytes are served, the partial bytes stay", async () => {
    const open = await openJobLarder(fixture, temp.path);
    larder = open;
    const pkg = pkgOf();
    const path = archivePath(pkg);
    slow("fixture", "alpha", ["1.0.0"], ["linux_amd64"], 10);
    try {
      const job = await open.jobs.createProviderJob(request);
      const running = open.jobs.run(job.id);
      await firstBytes(open, job.id);
      await expect(open.jobs.run(job.id)).rejects.toThrow(/Job \d+ is already running in this process/);
      expect(open.jobs.control(job.id, "cancel")).toMatchObject({ waiting: 1 });
      const result = await running;
      expect(result.state).toEqual({ status: "cancelled" });
      await waitUntil(() => fixture.inFlight(path) === 0, "the fixture has closed the archive response");
      expect(fixture.servedBytes(path)).toBeLessThan(pkg.zip.length);
      expect(archiveRequests(fixture, pkg)).toHaveLength(1);
      expect(await partialSize(open, `${fixture.url}${path}`)).toBeGreaterThan(0);
      expect(open.jobs.show(job.id).items.map((item) => item.state)).toEqual([{ status: "cancelled" }]);
    } finally {
      fixture.slowDown(path, 0);
    }
  });

  it("pause keeps the bytes and resume fetches only the remaining ones", async () => {
    const open = await openJobLarder(fixture, temp.path);
    larder = open;
    const pkg = pkgOf();
    const path = archivePath(pkg);
    slow("fixture", "alpha", ["1.0.0"], ["linux_amd64"], 10);
    const job = await open.jobs.createProviderJob(request);
    const running = open.jobs.run(job.id);
    await firstBytes(open, job.id);
    open.jobs.control(job.id, "pause");
    expect((await running).state).toEqual({ status: "paused" });
    await waitUntil(() => fixture.inFlight(path) === 0, "the fixture has closed the archive response");
    const kept = (await partialSize(open, `${fixture.url}${path}`)) ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(pkg.zip.length);

    fixture.slowDown(path, 0);
    fixture.clearRequests();
    expect(open.jobs.control(job.id, "resume")).toMatchObject({ changed: 1 });
    const resumed = await open.jobs.run(job.id);
    expect(resumed.state).toEqual({ status: "succeeded" });
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path} range=bytes=${kept}-`]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length - kept);
    await expectStoredAsServed(open, pkg);
  });

  it("retry queues a failed item again and stores it", async () => {
    const open = await openJobLarder(fixture, temp.path);
    larder = open;
    const pkg = pkgOf();
    fixture.failNext(archivePath(pkg), 404);
    const job = await open.jobs.createProviderJob(request);
    const failed = await open.jobs.run(job.id);
    expect(failed.state.status).toBe("failed");
    const [item] = failed.items;
    expect(item?.state.status === "failed" ? item.state.reason : "").toMatch(
      /fixture\/alpha 1\.0\.0 linux_amd64.*404/,
    );
    expect(open.jobs.control(job.id, "retry", item?.id)).toMatchObject({ changed: 1 });
    const retried = await open.jobs.run(job.id);
    expect(retried.state).toEqual({ status: "succeeded" });
    await expectStoredAsServed(open, pkg);
  });

  it("a runner whose lease was taken over stops at once and writes no item state", async () => {
    const open = await openJobLarder(fixture, temp.path);
    larder = open;
    const pkg = pkgOf();
    const path = archivePath(pkg);
    slow("fixture", "alpha", ["1.0.0"], ["linux_amd64"], 10);
    try {
      const job = await open.jobs.createProviderJob(request);
      const running = open.jobs.run(job.id);
      await firstBytes(open, job.id);
      // What `larder jobs resume` in another process does once this one looks stale: it takes the lease and
      // queues the item again. Simulated on a second connection, with the test runner's pid as the new owner.
      const other = new Database(join(temp.path, "larder.db"));
      try {
        other
          .prepare("UPDATE jobs SET owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?")
          .run(process.ppid, "another-host", Date.now(), job.id);
        other.prepare("UPDATE job_items SET state = 'queued', interrupted = 1 WHERE job_id = ?").run(job.id);
      } finally {
        other.close();
      }
      await expect(running).rejects.toThrow(/was taken over by another process/);
      await waitUntil(() => fixture.inFlight(path) === 0, "the fixture has closed the archive response");
      // The item stays as the new owner left it; the old runner did not mark it paused, failed or interrupted.
      expect(open.jobs.show(job.id).items.map((item) => item.state)).toEqual([
        { status: "queued", interrupted: true },
      ]);
      expect(open.jobs.show(job.id).job.ownerPid).toBe(process.ppid);
    } finally {
      fixture.slowDown(path, 0);
    }
  });
});
