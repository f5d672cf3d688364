import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { archivePath, packageOf } from "../downloads/download-support.js";
import { waitUntil } from "../jobs/job-support.js";
import { expectOneLineFailure, storedSummary, TempDirs, upstreamArgs } from "./cli-support.js";
import { listJobs, partialBytes, showJob, startLarder } from "./job-process-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-jobs");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});
afterAll(async () => {
  await fixture.stop();
  await dirs.removeAll();
});

function mirrorArgs(dataDir: string, ...platforms: string[]): string[] {
  return [
    "mirror",
    "provider",
    "fixture/alpha",
    "--version",
    "1.0.0",
    ...platforms.flatMap((platform) => ["--platform", platform]),
    "--data-dir",
    dataDir,
    ...upstreamArgs(fixture),
  ];
}

describe("larder jobs", () => {
  it("mirror runs as a job: it prints the id, and jobs / jobs show list it with its items", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder(mirrorArgs(dataDir, "linux_amd64", "darwin_arm64"));
    expect(result.code, result.stderr).toBe(0);
    const id = Number(
      /^Job (\d+): provider registry\.terraform\.io\/fixture\/alpha 1\.0\.0/m.exec(result.stderr)?.[1],
    );
    expect(id).toBeGreaterThan(0);

    const [job, ...others] = await listJobs(dataDir);
    expect(others).toEqual([]);
    expect(job).toMatchObject({ id, kind: "mirror-provider", state: "succeeded", ownerPid: null });
    expect(job?.items).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    expect(job?.bytesDone).toBe(job?.bytesTotal);

    const shown = await showJob(dataDir, id);
    expect(shown.items.map((item) => `${item.item} ${item.state}`)).toEqual([
      "registry.terraform.io/fixture/alpha 1.0.0 linux_amd64 succeeded",
      "registry.terraform.io/fixture/alpha 1.0.0 darwin_arm64 succeeded",
    ]);
    const table = await runLarder(["jobs", "--data-dir", dataDir]);
    expect(table.stdout).toMatch(new RegExp(`^${id}\\s+mirror-provider\\s+succeeded\\s+2/0/2\\s`, "m"));
    const text = await runLarder(["jobs", "show", String(id), "--data-dir", dataDir]);
    expect(text.stdout).toMatch(/^ITEM\s+STATE\s+BYTES\s+WHAT$/m);
  });

  it("records a refused package as a failed item with its reason; retry of a succeeded job has nothing to do", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder([
      "mirror",
      "provider",
      "fixture/beta",
      "--version",
      "0.4.0",
      "--platform",
      "windows_amd64",
      "--data-dir",
      dataDir,
      ...upstreamArgs(fixture),
    ]);
    expectOneLineFailure(result, /windows_amd64 is not available upstream/);
    const [job] = await listJobs(dataDir);
    expect(job).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/not available upstream/) as unknown,
    });
    const shown = await showJob(dataDir, job?.id ?? 0);
    expect(shown.items[0]).toMatchObject({
      state: "failed",
      reason: expect.stringMatching(/windows_amd64/) as unknown,
    });

    const good = await dirs.make();
    expect((await runLarder(mirrorArgs(good, "linux_amd64"))).code).toBe(0);
    const retry = await runLarder(["jobs", "retry", "1", "--data-dir", good]);
    expectOneLineFailure(retry, /Job 1 has nothing to retry: its items are 1 succeeded/);
  });

  it("an unknown job or item: non-zero and one line that says so", async () => {
    const dataDir = await dirs.make();
    expectOneLineFailure(
      await runLarder(["jobs", "show", "42", "--data-dir", dataDir]),
      /There is no job 42/,
    );
    expectOneLineFailure(
      await runLarder(["jobs", "cancel", "42", "--data-dir", dataDir]),
      /There is no job 42/,
    );
    expect((await runLarder(mirrorArgs(dataDir, "linux_amd64"))).code).toBe(0);
    expectOneLineFailure(
      await runLarder(["jobs", "pause", "1", "--item", "9", "--data-dir", dataDir]),
      /Job 1 has no item 9/,
    );
    const bad = await runLarder(["jobs", "resume", "one", "--data-dir", dataDir]);
    expectOneLineFailure(bad, /Invalid job id "one"/);
    expect(bad.code).toBe(2);
  });

  it("jobs show and list from a second shell leave a running mirror's temp files alone; it completes", async () => {
    const dataDir = await dirs.make();
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    fixture.slowDown(path, Math.max(1, Math.floor(pkg.zip.length / 10)));
    const mirror = startLarder(mirrorArgs(dataDir, "linux_amd64"));
    try {
      const id = await mirror.jobId;
      // By now SHA256SUMS and its signature wait in tmp/ for the archive; opening the data dir must not sweep them.
      await waitUntil(async () => (await partialBytes(dataDir)) > 0, "the mirror has received bytes");
      expect((await runLarder(["jobs", "show", String(id), "--data-dir", dataDir])).code).toBe(0);
      expect((await runLarder(["list", "--data-dir", dataDir])).code).toBe(0);
    } finally {
      fixture.slowDown(path, 0);
    }
    const exited = await mirror.exited;
    expect(exited.code, exited.stderr).toBe(0);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64"]);
  });

  it("cancel from a second shell stops a running larder mirror at once; retry resumes from the kept bytes", async () => {
    const dataDir = await dirs.make();
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    fixture.slowDown(path, Math.max(1, Math.floor(pkg.zip.length / 20)));
    fixture.clearRequests();
    const mirror = startLarder(mirrorArgs(dataDir, "linux_amd64"));
    let cancelled;
    try {
      const id = await mirror.jobId;
      await waitUntil(async () => (await partialBytes(dataDir)) > 0, "the mirror has received bytes");
      cancelled = await runLarder(["jobs", "cancel", String(id), "--data-dir", dataDir]);
      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.stdout).toContain(`Cancelled job ${id}; job ${id} is cancelled.`);
      const exited = await mirror.exited;
      expectOneLineFailure(
        exited,
        new RegExp(`Job ${id} was cancelled`),
        new RegExp(`larder jobs retry ${id}`),
      );
      await waitUntil(() => fixture.inFlight(path) === 0, "the fixture has closed the archive response");
      expect(fixture.servedBytes(path)).toBeLessThan(pkg.zip.length);
      expect((await showJob(dataDir, id)).items.map((item) => item.state)).toEqual(["cancelled"]);

      const kept = await partialBytes(dataDir);
      expect(kept).toBeGreaterThan(0);
      fixture.slowDown(path, 0);
      fixture.clearRequests();
      const retried = await runLarder([
        "jobs",
        "retry",
        String(id),
        "--data-dir",
        dataDir,
        ...upstreamArgs(fixture),
      ]);
      expect(retried.code, retried.stderr).toBe(0);
      expect(retried.stdout).toContain(`Job ${id} succeeded: stored 1`);
      expect(fixture.requests.filter((line) => line.startsWith(`GET ${path}`))).toEqual([
        `GET ${path} range=bytes=${kept}-`,
      ]);
      expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64"]);
    } finally {
      fixture.slowDown(path, 0);
      if (mirror.child.exitCode === null) mirror.child.kill("SIGKILL");
    }
  });

  it("Ctrl-C pauses the mirror's job, keeps the bytes and says how to resume", async () => {
    const dataDir = await dirs.make();
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    fixture.slowDown(path, Math.max(1, Math.floor(pkg.zip.length / 20)));
    const mirror = startLarder(mirrorArgs(dataDir, "linux_amd64"));
    try {
      const id = await mirror.jobId;
      await waitUntil(async () => (await partialBytes(dataDir)) > 0, "the mirror has received bytes");
      mirror.child.kill("SIGINT");
      const exited = await mirror.exited;
      expect(exited.code).toBe(130);
      expectOneLineFailure(exited, new RegExp(`Job ${id} is paused`), new RegExp(`larder jobs resume ${id}`));
      expect((await showJob(dataDir, id)).items.map((item) => item.state)).toEqual(["paused"]);
      expect(await partialBytes(dataDir)).toBeGreaterThan(0);
    } finally {
      fixture.slowDown(path, 0);
      if (mirror.child.exitCode === null) mirror.child.kill("SIGKILL");
    }
  });
});
