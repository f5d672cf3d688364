import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import {
  startFixtureUpstream,
  type FixturePackage,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { waitUntil } from "../jobs/job-support.js";
import {
  archivePath,
  archiveRequests,
  expectStoredAsServed,
  mirrorOne,
  openLarder,
  packageOf,
  partialSize,
  tmpNames,
} from "./download-support.js";

let fixture: FixtureUpstream;
let pkg: FixturePackage;
let path: string;
let temp: TempDir;
let larder: Larder;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  pkg = packageOf(fixture);
  path = archivePath(pkg);
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(async () => {
  temp = await makeTempDir("downloads-faults");
  larder = await openLarder(fixture, temp.path);
  fixture.clearRequests();
});

afterEach(async () => {
  fixture.slowDown(path, 0);
  larder.close();
  await temp.remove();
});

describe("archive downloads ride out server failures", () => {
  it("retries a 500 and stores the archive", async () => {
    fixture.failNext(path, 500);
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`, `GET ${path}`]);
    await expectStoredAsServed(larder, pkg);
  });

  it("retries a 503 in the middle of a resume with another Range request", async () => {
    fixture.resetAfter(path, 100);
    let failed = false;
    const report = await mirrorOne(larder, pkg, (event) => {
      // Once the first bytes are on disk, the next request (the resume) fails.
      if (event.kind === "progress" && event.bytesDone > 0 && !failed) {
        failed = true;
        fixture.failNext(path, 503);
      }
    });
    expect(report.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([
      `GET ${path}`,
      `GET ${path} range=bytes=100-`,
      `GET ${path} range=bytes=100-`,
    ]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length);
    await expectStoredAsServed(larder, pkg);
  });

  it("waits for Retry-After on a 429, then stores the archive", async () => {
    fixture.failNext(path, 429);
    const started = Date.now();
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    // The fixture sends Retry-After: 1; the backoff alone would be about 10 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(archiveRequests(fixture, pkg)).toHaveLength(2);
    await expectStoredAsServed(larder, pkg);
  });

  it("names the package and the status when the archive keeps failing, keeping nothing", async () => {
    fixture.failNext(path, 503, 4);
    const report = await mirrorOne(larder, pkg);
    const message = report.failed[0]?.message ?? "";
    expect(message).toMatch(
      /archive of provider registry\.terraform\.io\/fixture\/alpha 1\.0\.0 linux_amd64/,
    );
    expect(message).toMatch(/failed: HTTP 503/);
    expect(archiveRequests(fixture, pkg)).toHaveLength(4);
    expect(larder.providerInventory()).toEqual([]);
    expect(await tmpNames(temp.path)).toEqual([]);
  });

  it("completes a slow transfer, reporting progress as it goes", async () => {
    fixture.slowDown(path, pkg.zip.length * 2);
    const done: number[] = [];
    const report = await mirrorOne(larder, pkg, (event) => {
      if (event.kind === "progress") done.push(event.bytesDone);
    });
    expect(report.failed).toEqual([]);
    expect(done.length).toBeGreaterThan(5);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(pkg.zip.length);
    await expectStoredAsServed(larder, pkg);
  });
});

describe("cancelling a download", () => {
  it("stops promptly when the signal aborts, keeping the partial file for a later resume", async () => {
    fixture.slowDown(path, 100);
    const controller = new AbortController();
    let aborted = false;
    const attempt = mirrorOne(
      larder,
      pkg,
      (event) => {
        if (event.kind === "progress" && event.bytesDone >= 20 && !aborted) {
          aborted = true;
          controller.abort();
        }
      },
      controller.signal,
    );
    // An abort pauses the job, as Ctrl-C does in the CLI: nothing failed, nothing stored.
    await expect(attempt).rejects.toThrow(/Job \d+ is paused .*larder jobs resume/);
    // "Promptly" without a stopwatch: at 100 B/s the transfer had far to go, and the server sees it closed.
    await waitUntil(() => fixture.inFlight(path) === 0, "the fixture has closed the archive response");
    expect(larder.providerInventory()).toEqual([]);
    // The request was torn down: the server sends nothing more.
    const served = fixture.servedBytes(path);
    await sleep(300);
    expect(fixture.servedBytes(path)).toBe(served);
    expect(served).toBeLessThan(pkg.zip.length);
    expect(await tmpNames(temp.path)).toEqual(["<url>.part", "<url>.part.json"]);
    const kept = (await partialSize(larder, `${fixture.url}${path}`)) ?? 0;
    expect(kept).toBeGreaterThanOrEqual(20);

    fixture.slowDown(path, 0);
    fixture.clearRequests();
    expect((await mirrorOne(larder, pkg)).failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path} range=bytes=${kept}-`]);
    await expectStoredAsServed(larder, pkg);
  });
});
