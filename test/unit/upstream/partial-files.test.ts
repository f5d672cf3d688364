import { createHash } from "node:crypto";
import { readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BlobStore, PARTIAL_DOWNLOAD_MAX_AGE_MS } from "../../../main/store/blob-store.js";
import {
  exclusive,
  parseContentRange,
  parseLength,
  readValidators,
} from "../../../main/upstream/partial-file.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let store: BlobStore;

beforeEach(async () => {
  dir = await makeTempDir("partial-files");
  store = new BlobStore(dir.path);
  await store.open();
});

afterEach(async () => {
  await dir.remove();
});

const bytes = Buffer.from("a finished download\n");
const sha = createHash("sha256").update(bytes).digest("hex");

describe("BlobStore and partial downloads", () => {
  it("names the partial file of a URL by the URL's sha256 under tmp/", () => {
    const url = "https://releases.example/p.zip";
    const hex = createHash("sha256").update(url).digest("hex");
    expect(store.partialPathFor(url)).toBe(join(store.tmpDir, `${hex}.part`));
    expect(store.stagingPath()).toMatch(new RegExp(`[/\\\\]tmp[/\\\\]${process.pid}-[0-9a-f]{24}\\.blob$`));
  });

  it("keeps recent partial files and sidecars on open, removing old ones and interrupted sidecar writes", async () => {
    const at = (name: string): string => join(store.tmpDir, name);
    for (const name of [
      "new.part",
      "new.part.json",
      "old.part",
      "old.part.json",
      "x.part.json.new",
      "y.blob",
    ])
      await writeFile(at(name), "x");
    const eightDaysAgo = (Date.now() - PARTIAL_DOWNLOAD_MAX_AGE_MS - 24 * 3600 * 1000) / 1000;
    await utimes(at("old.part"), eightDaysAgo, eightDaysAgo);
    await utimes(at("old.part.json"), eightDaysAgo, eightDaysAgo);
    await new BlobStore(dir.path).open();
    expect((await readdir(store.tmpDir)).sort()).toEqual(["new.part", "new.part.json"]);
    expect(PARTIAL_DOWNLOAD_MAX_AGE_MS).toBe(7 * 24 * 3600 * 1000);
  });

  it("adopts a finished download as a staged blob that commits like any other", async () => {
    const finished = join(store.tmpDir, "abc.part");
    await writeFile(finished, bytes);
    const staged = await store.adopt(finished, sha, bytes.length);
    expect(staged).toMatchObject({ sha256: sha, size: bytes.length });
    expect(staged.tempPath).toMatch(/\.blob$/);
    expect(await readdir(store.tmpDir)).toEqual([staged.tempPath.slice(store.tmpDir.length + 1)]);
    await store.commit(staged);
    expect(await readFile(store.pathOf(sha))).toEqual(bytes);
    expect(await readdir(store.tmpDir)).toEqual([]);
  });

  it("adopts a file already at a staging path in place, and discard removes it", async () => {
    const path = store.stagingPath();
    await writeFile(path, bytes);
    const staged = await store.adopt(path, sha, bytes.length);
    expect(staged.tempPath).toBe(path);
    await store.discard(staged);
    expect(await readdir(store.tmpDir)).toEqual([]);
  });

  it("refuses to adopt a file whose size is not the one hashed, removing it", async () => {
    const path = store.stagingPath();
    await writeFile(path, bytes);
    await expect(store.adopt(path, sha, bytes.length + 1)).rejects.toMatchObject({
      code: "storage_failed",
      message: expect.stringMatching(/holds 20 bytes, not the 21 that were hashed/) as unknown,
    });
    await expect(store.adopt(path, "not-a-sha", 1)).rejects.toThrow(/Not a sha256/);
    expect(await readdir(store.tmpDir)).toEqual([]);
  });
});

describe("partial-file helpers", () => {
  it("parses Content-Range", () => {
    expect(parseContentRange("bytes 100-999/1000")).toEqual({ start: 100, end: 999, total: 1000 });
    expect(parseContentRange("bytes 0-9/*")).toEqual({ start: 0, end: 9, total: undefined });
    for (const bad of [null, "bytes */1000", "bytes 10-5/100", "bytes 0-100/100", "items 0-1/2"])
      expect(parseContentRange(bad)).toBeUndefined();
  });

  it("parses Content-Length", () => {
    expect(parseLength("375")).toBe(375);
    for (const bad of [null, "", "-1", "1e3", "12abc"]) expect(parseLength(bad)).toBeUndefined();
  });

  it("reads only sidecars with a URL and a validator", async () => {
    const path = join(dir.path, "s.json");
    const read = async (value: string): Promise<unknown> => {
      await writeFile(path, value);
      return readValidators(path);
    };
    expect(await read(JSON.stringify({ url: "u", etag: '"e"', total: 5 }))).toEqual({
      url: "u",
      etag: '"e"',
      total: 5,
    });
    expect(await read(JSON.stringify({ url: "u", lastModified: "d", total: -1 }))).toEqual({
      url: "u",
      lastModified: "d",
    });
    expect(await read(JSON.stringify({ url: "u" }))).toBeUndefined();
    expect(await read(JSON.stringify({ etag: '"e"' }))).toBeUndefined();
    expect(await read("{not json")).toBeUndefined();
    expect(await readValidators(join(dir.path, "missing.json"))).toBeUndefined();
  });

  it("runs work for one key at a time, in order, even when one fails", async () => {
    const log: string[] = [];
    const step =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        log.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      exclusive("k", step("a", true)),
      exclusive("k", step("b")),
      exclusive("other", step("c")),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(log.indexOf("b start")).toBeGreaterThan(log.indexOf("a end"));
    expect(log.indexOf("c start")).toBeLessThan(log.indexOf("a end"));
  });

  it("stops waiting for the key when the signal aborts", async () => {
    let release = (): void => undefined;
    const holder = exclusive("held", () => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiter = exclusive("held", () => Promise.resolve("ran"), controller.signal);
    controller.abort();
    await expect(waiter).rejects.toThrow(/aborted/);
    release();
    await holder;
  });
});
