import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UpstreamHttpClient } from "../../../main/upstream/http-client.js";
import {
  downloadResumable,
  type ResumableDownloadOptions,
} from "../../../main/upstream/resumable-download.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const sha256 = createHash("sha256").update(body).digest("hex");
const http = new UpstreamHttpClient({ userAgent: "larder-test", retries: 2, retryBaseDelayMs: 1 });

let server: Server;
let url: string;
let handler: Handler;
const seen: string[] = [];
let temp: TempDir;
let partialPath: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const ifRange = req.headers["if-range"];
    seen.push(`${req.headers.range ?? "-"} ${typeof ifRange === "string" ? ifRange : "-"}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  temp = await makeTempDir("resumable");
  partialPath = join(temp.path, "x.part");
  seen.length = 0;
});

afterEach(async () => {
  await temp.remove();
});

/**
 * Sends `bytes` of the body (from `start`) with the given headers, then ends the response, or, given `cutAfter`,
 * cuts the socket once that promise settles. Cutting on the client's own progress report (not on a timer) keeps
 * the test deterministic on a loaded machine: the client has seen the headers and the bytes before the cut.
 */
function serve(
  status: number,
  headers: Record<string, string>,
  start: number,
  bytes: number,
  cutAfter?: Promise<void>,
): void {
  handler = (_req, res) => {
    res.writeHead(status, headers);
    const slice = body.subarray(start, start + bytes);
    if (cutAfter) {
      res.write(slice);
      void cutAfter.then(() => res.destroy());
    } else res.end(slice);
  };
}

/** A promise the test resolves from the client's onProgress once `bytes` are on disk. */
function whenReceived(bytes: number): { promise: Promise<void>; onProgress: (done: number) => void } {
  let release = (): void => undefined;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return {
    promise,
    onProgress: (done) => {
      if (done >= bytes) release();
    },
  };
}

const download = (extra: Partial<ResumableDownloadOptions> = {}): ReturnType<typeof downloadResumable> =>
  downloadResumable({ http, url, partialPath, what: "the test file", ...extra });

describe("downloadResumable", () => {
  it("downloads, hashes and reports the file, leaving only it behind", async () => {
    serve(200, { "content-length": "1000", etag: '"v1"' }, 0, 1000);
    const progress: number[] = [];
    const file = await download({ onProgress: (done) => progress.push(done) });
    expect(file).toEqual({ path: partialPath, sha256, size: 1000 });
    expect(progress.at(-1)).toBe(1000);
    expect(await readdir(temp.path)).toEqual(["x.part"]);
  });

  it("moves the complete file to completePath", async () => {
    serve(200, { "content-length": "1000" }, 0, 1000);
    const completePath = join(temp.path, "done.blob");
    expect((await download({ completePath })).path).toBe(completePath);
    expect(await readFile(completePath)).toEqual(body);
    expect(await readdir(temp.path)).toEqual(["done.blob"]);
  });

  it("uses Last-Modified for If-Range when there is no strong ETag, and never a weak one", async () => {
    const lastModified = "Mon, 01 Jan 2024 12:00:00 GMT";
    const received = whenReceived(400);
    serve(
      200,
      { "content-length": "1000", etag: 'W/"weak"', "last-modified": lastModified },
      0,
      400,
      received.promise,
    );
    const once = new UpstreamHttpClient({ userAgent: "t", retries: 0 });
    await expect(download({ http: once, onProgress: received.onProgress })).rejects.toThrow(
      /the connection closed before the transfer finished\. .*The 400 bytes received are kept/,
    );
    expect(JSON.parse(await readFile(`${partialPath}.json`, "utf8"))).toEqual({
      url,
      lastModified,
      total: 1000,
    });
    serve(206, { "content-range": "bytes 400-999/1000", "content-length": "600" }, 400, 600);
    expect((await download()).sha256).toBe(sha256);
    expect(seen).toEqual(["- -", `bytes=400- ${lastModified}`]);
  });

  it("cannot resume without validators, so it starts over within the same call", async () => {
    let calls = 0;
    handler = (req, res) => {
      calls += 1;
      res.writeHead(200, { "content-length": "1000" });
      if (calls === 1) res.write(body.subarray(0, 300), () => setTimeout(() => res.destroy(), 50));
      else res.end(body);
    };
    expect((await download()).sha256).toBe(sha256);
    expect(seen).toEqual(["- -", "- -"]);
  });

  it("starts over when a 206 does not start where the partial file ends", async () => {
    await writeFile(partialPath, body.subarray(0, 500));
    await writeFile(`${partialPath}.json`, JSON.stringify({ url, etag: '"v1"', total: 1000 }));
    let calls = 0;
    handler = (req, res) => {
      calls += 1;
      if (calls === 1) {
        res.writeHead(206, { "content-range": "bytes 400-999/1000", "content-length": "600" });
        res.end(body.subarray(400));
      } else {
        res.writeHead(200, { "content-length": "1000", etag: '"v1"' });
        res.end(body);
      }
    };
    expect((await download()).sha256).toBe(sha256);
    expect(seen).toEqual(['bytes=500- "v1"', "- -"]);
  });

  it("refuses a declared size over maxBytes and removes the partial file", async () => {
    await writeFile(partialPath, body.subarray(0, 100));
    await writeFile(`${partialPath}.json`, JSON.stringify({ url, etag: '"v1"', total: 1000 }));
    serve(206, { "content-range": "bytes 100-999/1000", "content-length": "900" }, 100, 900);
    await expect(download({ maxBytes: 999 })).rejects.toMatchObject({
      code: "verification_failed",
      message: `Refusing the test file from ${url}: it is 1000 bytes, over the 999-byte limit.`,
    });
    expect(await readdir(temp.path)).toEqual([]);
  });

  it("refuses an undeclared body once it grows past maxBytes", async () => {
    serve(200, { etag: '"v1"' }, 0, 1000);
    await expect(download({ maxBytes: 500 })).rejects.toThrow(/it is larger than the 500-byte limit/);
    expect(await readdir(temp.path)).toEqual([]);
  });

  it("refuses when the disk lacks room for the remaining bytes, keeping the partial file", async () => {
    await writeFile(partialPath, body.subarray(0, 100));
    await writeFile(`${partialPath}.json`, JSON.stringify({ url, etag: '"v1"', total: 1000 }));
    serve(206, { "content-range": "bytes 100-999/1000", "content-length": "900" }, 100, 900);
    const asked: string[] = [];
    const statfs = (path: string): Promise<{ bavail: number; bsize: number }> => {
      asked.push(path);
      return Promise.resolve({ bavail: 10, bsize: 1024 * 1024 });
    };
    await expect(download({ statfs })).rejects.toMatchObject({
      code: "storage_failed",
      message: `Downloading the test file: needs 65 MiB in ${temp.path} but only 10 MiB are free. Free some space and try again; nothing was stored.`,
    });
    expect(asked).toEqual([temp.path]);
    expect(await readFile(partialPath)).toEqual(body.subarray(0, 100));
  });

  it("runs concurrent downloads of the same partial file one after the other", async () => {
    serve(200, { "content-length": "1000", etag: '"v1"' }, 0, 1000);
    const first = download({ completePath: join(temp.path, "a.blob") });
    const second = download({ completePath: join(temp.path, "b.blob") });
    const files = await Promise.all([first, second]);
    expect(files.map((file) => file.sha256)).toEqual([sha256, sha256]);
    expect((await readdir(temp.path)).sort()).toEqual(["a.blob", "b.blob"]);
  });

  it("rejects at once for an already aborted signal, sending nothing", async () => {
    serve(200, { "content-length": "1000" }, 0, 1000);
    await expect(download({ signal: AbortSignal.abort() })).rejects.toThrow(/aborted/);
    expect(seen).toEqual([]);
  });
});
