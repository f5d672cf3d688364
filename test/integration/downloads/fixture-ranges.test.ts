import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startFixtureUpstream,
  type FixturePackage,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { archivePath, packageOf } from "./download-support.js";

let fixture: FixtureUpstream;
let pkg: FixturePackage;
let path: string;
let url: string;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  pkg = packageOf(fixture);
  path = archivePath(pkg);
  url = `${fixture.url}${path}`;
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(() => {
  fixture.clearRequests();
});

async function get(
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const response = await fetch(url, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe("fixture: provider archives honour Range", () => {
  it("serves a strong ETag (the quoted sha256) and Accept-Ranges", async () => {
    const full = await get();
    expect(full.status).toBe(200);
    expect(full.headers.get("etag")).toBe(`"${pkg.sha256}"`);
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    expect(new Uint8Array(full.bytes)).toEqual(pkg.zip);
  });

  it("answers 206 from an offset, logs the Range and counts the bytes sent", async () => {
    const part = await get({ range: "bytes=100-", "if-range": `"${pkg.sha256}"` });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-${pkg.zip.length - 1}/${pkg.zip.length}`);
    expect(new Uint8Array(part.bytes)).toEqual(pkg.zip.subarray(100));
    expect(fixture.requests).toEqual([`GET ${path} range=bytes=100-`]);
    expect(fixture.servedBytes(path)).toBe(pkg.zip.length - 100);
    expect(fixture.servedBytes("/releases/")).toBe(pkg.zip.length - 100);
    expect(fixture.servedBytes("/v1/")).toBe(0);
  });

  it("answers 200 when If-Range does not match, 416 past the end, and suffix ranges", async () => {
    expect((await get({ range: "bytes=100-", "if-range": '"other"' })).status).toBe(200);
    const past = await get({ range: `bytes=${pkg.zip.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${pkg.zip.length}`);
    const tail = await get({ range: "bytes=-10" });
    expect(new Uint8Array(tail.bytes)).toEqual(pkg.zip.subarray(-10));
  });

  it("ignores Range while ignoreRange is on", async () => {
    fixture.ignoreRange(path, true);
    expect((await get({ range: "bytes=100-" })).status).toBe(200);
    fixture.ignoreRange(path, false);
    expect((await get({ range: "bytes=100-" })).status).toBe(206);
  });

  it("resets the connection after N bytes for the next `times` requests", async () => {
    fixture.resetAfter(path, 40, 2);
    await expect(get()).rejects.toThrow();
    await expect(get({ range: "bytes=40-" })).rejects.toThrow();
    expect(fixture.servedBytes(path)).toBe(80);
    expect((await get()).bytes).toHaveLength(pkg.zip.length);
  });

  it("paces a body with slowDown until cleared", async () => {
    fixture.slowDown(path, pkg.zip.length * 4);
    const started = Date.now();
    await get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    // At 1 byte/s the body would outlast the test's timeout; cleared, it arrives in full.
    fixture.slowDown(path, 1);
    fixture.slowDown(path, 0);
    expect((await get()).bytes).toHaveLength(pkg.zip.length);
  });
});
