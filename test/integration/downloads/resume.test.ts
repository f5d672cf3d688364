import { writeFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import {
  startFixtureUpstream,
  type FixturePackage,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
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
let url: string;
let temp: TempDir;
let larder: Larder;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  pkg = packageOf(fixture);
  path = archivePath(pkg);
  url = `${fixture.url}${path}`;
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(async () => {
  temp = await makeTempDir("downloads-resume");
  larder = await openLarder(fixture, temp.path);
  fixture.clearRequests();
});

afterEach(async () => {
  larder.close();
  await temp.remove();
});

describe("a provider archive whose connection drops resumes where it stopped", () => {
  it("resumes after a reset mid-archive, fetching only the remaining bytes, and stores it verified", async () => {
    fixture.resetAfter(path, 150);
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    expect(report.stored).toHaveLength(1);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`, `GET ${path} range=bytes=150-`]);
    // Every byte crossed the wire exactly once: 150 before the reset, the rest in the 206.
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length);
    await expectStoredAsServed(larder, pkg);
  });

  it("reports progress including the resumed prefix", async () => {
    fixture.resetAfter(path, 100);
    const done: number[] = [];
    await mirrorOne(larder, pkg, (event) => {
      if (event.kind === "progress") {
        done.push(event.bytesDone);
        expect(event.bytesTotal).toBe(pkg.zip.length);
      }
    });
    // The second attempt starts at 100, never back at 0, and ends at the full size.
    const restart = done.indexOf(100, done.indexOf(100) + 1);
    expect(restart).toBeGreaterThan(0);
    expect(done.slice(restart).every((bytes) => bytes >= 100)).toBe(true);
    expect(done.at(-1)).toBe(pkg.zip.length);
  });

  it("keeps the partial file when every attempt breaks, and a later run resumes from it", async () => {
    fixture.resetAfter(path, 50, 4);
    const report = await mirrorOne(larder, pkg);
    expect(report.stored).toEqual([]);
    const message = report.failed[0]?.message ?? "";
    expect(message).toContain("registry.terraform.io/fixture/alpha 1.0.0 linux_amd64");
    expect(message).toMatch(/after 4 attempts: the connection closed before the transfer finished/);
    expect(message).toMatch(/The 200 bytes received are kept; trying again resumes from there\./);
    expect(archiveRequests(fixture, pkg)).toEqual([
      `GET ${path}`,
      `GET ${path} range=bytes=50-`,
      `GET ${path} range=bytes=100-`,
      `GET ${path} range=bytes=150-`,
    ]);
    expect(larder.providerInventory()).toEqual([]);
    expect(
      larder.catalog.versions({ host: "registry.terraform.io", namespace: "fixture", type: "alpha" }),
    ).toBeUndefined();
    expect(await tmpNames(temp.path)).toEqual(["<url>.part", "<url>.part.json"]);
    expect(await partialSize(larder, url)).toBe(200);

    // A new run (a new engine on the same data dir) keeps the partial file and continues it.
    larder.close();
    larder = await openLarder(fixture, temp.path);
    fixture.clearRequests();
    const again = await mirrorOne(larder, pkg);
    expect(again.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path} range=bytes=200-`]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length - 200);
    await expectStoredAsServed(larder, pkg);
  });

  it("starts over when the server ignores Range, and still stores the verified archive", async () => {
    fixture.resetAfter(path, 120);
    fixture.ignoreRange(path, true);
    try {
      const report = await mirrorOne(larder, pkg);
      expect(report.failed).toEqual([]);
    } finally {
      fixture.ignoreRange(path, false);
    }
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`, `GET ${path} range=bytes=120-`]);
    expect(fixture.servedBytes(path)).toBe(120 + pkg.zip.length);
    await expectStoredAsServed(larder, pkg);
  });

  it("starts over when the file changed upstream since the partial was written (If-Range)", async () => {
    const partial = larder.store.partialPathFor(url);
    await writeFile(partial, Buffer.alloc(90, 7));
    const sidecar = { url, etag: '"an-older-build"', total: pkg.zip.length };
    await writeFile(`${partial}.json`, JSON.stringify(sidecar));
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path} range=bytes=90-`]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length);
    await expectStoredAsServed(larder, pkg);
  });

  it("starts over after a 416 when the partial is longer than the file now is", async () => {
    const partial = larder.store.partialPathFor(url);
    await writeFile(partial, Buffer.alloc(pkg.zip.length + 10, 1));
    await writeFile(`${partial}.json`, JSON.stringify({ url, etag: `"${pkg.sha256}"` }));
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([
      `GET ${path} range=bytes=${pkg.zip.length + 10}-`,
      `GET ${path}`,
    ]);
    await expectStoredAsServed(larder, pkg);
  });

  it("does not resume a partial file without validators: its origin is unknown", async () => {
    await writeFile(larder.store.partialPathFor(url), Buffer.alloc(100, 3));
    const report = await mirrorOne(larder, pkg);
    expect(report.failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`]);
    await expectStoredAsServed(larder, pkg);
  });
});
