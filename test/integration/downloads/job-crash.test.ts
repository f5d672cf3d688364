import { stat } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, startLarderServe } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { listJobs, partialBytes, showJob, startLarder } from "../cli/job-process-support.js";
import { waitUntil } from "../jobs/job-support.js";
import { ALPHA, archivePath, packageOf } from "./download-support.js";

let fixture: FixtureUpstream;
const temps: TempDir[] = [];

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});
afterAll(async () => {
  await fixture.stop();
  await Promise.all(temps.map((temp) => temp.remove()));
});

function mirrorArgs(dataDir: string): string[] {
  return [
    "mirror",
    "provider",
    `${ALPHA.namespace}/${ALPHA.type}`,
    "--version",
    ALPHA.version,
    "--platform",
    ALPHA.platform,
    "--data-dir",
    dataDir,
    "--upstream",
    `registry.terraform.io=${fixture.url}`,
  ];
}

/** Starts a slowed `larder mirror`, kills it with SIGKILL mid-archive and returns its job id and the bytes kept. */
async function killMidDownload(dataDir: string): Promise<{ id: number; kept: number }> {
  const pkg = packageOf(fixture);
  fixture.slowDown(archivePath(pkg), 40);
  const mirror = startLarder(mirrorArgs(dataDir));
  const id = await mirror.jobId;
  await waitUntil(async () => (await partialBytes(dataDir)) >= 40, "the mirror has received bytes");
  mirror.child.kill("SIGKILL");
  expect((await mirror.exited).signal).toBe("SIGKILL");
  fixture.slowDown(archivePath(pkg), 0);
  const kept = await partialBytes(dataDir);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(pkg.zip.length);
  return { id, kept };
}

function expectIntactDatabase(dataDir: string, packages: number): void {
  const db = new Database(join(dataDir, "larder.db"), { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.prepare("SELECT count(*) AS n FROM provider_packages").get()).toEqual({ n: packages });
  } finally {
    db.close();
  }
}

describe("kill -9 of a larder mirror job", () => {
  it("leaves the job with an interrupted item, and larder jobs resume finishes it fetching only the rest", async () => {
    const temp = await makeTempDir("job-crash");
    temps.push(temp);
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    fixture.clearRequests();
    const { id, kept } = await killMidDownload(temp.path);

    expectIntactDatabase(temp.path, 0);
    expect(
      await stat(join(temp.path, "blobs", "sha256", pkg.sha256.slice(0, 2), pkg.sha256)).catch(
        () => undefined,
      ),
    ).toBeUndefined();
    const [job] = await listJobs(temp.path);
    expect(job).toMatchObject({ id, state: "queued", ownerPid: null });
    expect(job?.items).toMatchObject({ total: 1, queued: 1, running: 0 });
    const shown = await showJob(temp.path, id);
    expect(shown.items).toMatchObject([{ state: "queued", interrupted: true }]);

    fixture.clearRequests();
    const resumed = await runLarder([
      "jobs",
      "resume",
      String(id),
      "--data-dir",
      temp.path,
      "--upstream",
      `registry.terraform.io=${fixture.url}`,
    ]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const ranges = fixture.requests.filter((line) => line.startsWith(`GET ${path}`));
    expect(ranges).toHaveLength(1);
    const resumedFrom = Number(/range=bytes=(\d+)-/.exec(ranges[0] ?? "")?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(kept);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length - resumedFrom);
    expectIntactDatabase(temp.path, 1);
    expect((await listJobs(temp.path))[0]).toMatchObject({ id, state: "succeeded" });
  });

  it("larder serve resumes the interrupted job by itself at start", async () => {
    const temp = await makeTempDir("job-crash-serve");
    temps.push(temp);
    fixture.clearRequests();
    const { id } = await killMidDownload(temp.path);
    const serve = await startLarderServe([
      "--port",
      "0",
      "--https-port",
      "0",
      "--data-dir",
      temp.path,
      "--upstream",
      `registry.terraform.io=${fixture.url}`,
    ]);
    try {
      await waitUntil(
        async () => (await listJobs(temp.path))[0]?.state === "succeeded",
        "serve has finished the interrupted job",
      );
    } finally {
      const stopped = await serve.stop();
      expect(stopped.stderr).toContain(`Resuming job ${id}, interrupted earlier.`);
      expect(stopped.stderr).toContain(`Job ${id} succeeded.`);
    }
    expectIntactDatabase(temp.path, 1);
  });
});
