import { readFile, writeFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import {
  archivePath,
  archiveRequests,
  expectStoredAsServed,
  mirrorOne,
  openLarder,
  packageOf,
  tmpNames,
} from "./download-support.js";

let fixture: FixtureUpstream;
let temp: TempDir;
let larder: Larder;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(async () => {
  temp = await makeTempDir("downloads-tampered");
  larder = await openLarder(fixture, temp.path);
  fixture.clearRequests();
});

afterEach(async () => {
  larder.close();
  await temp.remove();
});

describe("a resumed archive is verified like any other, and a bad one leaves nothing to resume", () => {
  it("refuses hostile/tampered-archive after a resume and removes the partial file", async () => {
    const pkg = packageOf(fixture, "hostile", "tampered-archive");
    const path = archivePath(pkg);
    fixture.resetAfter(path, 100);
    const report = await mirrorOne(larder, pkg);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`, `GET ${path} range=bytes=100-`]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length);
    const message = report.failed[0]?.message ?? "";
    expect(message).toContain("hostile/tampered-archive 1.0.0 linux_amd64");
    expect(message).toMatch(
      /downloaded archive has sha256 [0-9a-f]{64}, but the registry and its signed SHA256SUMS say/,
    );
    expect(larder.providerInventory()).toEqual([]);
    expect(await tmpNames(temp.path)).toEqual([]);
  });

  it("refuses hostile/truncated-zip after a resume and removes the partial file", async () => {
    const pkg = packageOf(fixture, "hostile", "truncated-zip");
    const path = archivePath(pkg);
    fixture.resetAfter(path, 60);
    const report = await mirrorOne(larder, pkg);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`, `GET ${path} range=bytes=60-`]);
    expect(report.failed[0]?.message).toMatch(/not a valid provider zip/);
    expect(larder.providerInventory()).toEqual([]);
    expect(await tmpNames(temp.path)).toEqual([]);
  });

  it("refuses a partial file corrupted on disk, then starts clean and stores the archive", async () => {
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    const url = `${fixture.url}${path}`;
    fixture.resetAfter(path, 50, 4);
    expect((await mirrorOne(larder, pkg)).failed).toHaveLength(1);
    // Flip one byte of the kept prefix: the validators still match, so the resume itself succeeds.
    const partial = larder.store.partialPathFor(url);
    const bytes = await readFile(partial);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(partial, bytes);

    fixture.clearRequests();
    const refused = await mirrorOne(larder, pkg);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path} range=bytes=${bytes.length}-`]);
    expect(refused.failed[0]?.message).toMatch(/archive has sha256 [0-9a-f]{64}, but .*SHA256SUMS say/);
    expect(await tmpNames(temp.path)).toEqual([]);

    fixture.clearRequests();
    expect((await mirrorOne(larder, pkg)).failed).toEqual([]);
    expect(archiveRequests(fixture, pkg)).toEqual([`GET ${path}`]);
    await expectStoredAsServed(larder, pkg);
  });
});
