import { createHash, randomBytes } from "node:crypto";
import { readdir, readlink, truncate, writeFile } from "node:fs/promises";
import { get, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../../../main/server/file-range-pump.js";
import { sendBlob } from "../../../main/server/send-blob.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

/** Several chunks and more than loopback socket buffers hold, so a client that stops reading stalls the sender. */
const SIZE = 24 * CHUNK_BYTES + 12_345;

let dir: TempDir;
let blob: string;
let bytes: Buffer;
let etag: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = await makeTempDir("send-blob");
  blob = join(dir.path, "blob");
  bytes = randomBytes(SIZE);
  await writeFile(blob, bytes);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  etag = `"${sha256}"`;
  const app = express();
  app.get("/blob", (req, res, next) => {
    sendBlob(req, res, { path: blob, sha256, contentType: "application/zip" }).catch(next);
  });
  app.get("/short", (req, res, next) => {
    sendBlob(req, res, { path: join(dir.path, "short"), sha256, contentType: "application/zip" }).catch(next);
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise<void>((done) => server.once("listening", done));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => {
    server.close(done);
  });
  await dir.remove();
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** GETs (or HEADs) a path and reads the whole body; `slow` pauses the reader now and then, as a slow client would. */
function request(
  path: string,
  headers: Record<string, string> = {},
  options: { readonly method?: string; readonly slow?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}${path}`, { headers, method: options.method ?? "GET" }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (options.slow && chunks.length % 16 === 0) {
          res.pause();
          setTimeout(() => res.resume(), 5);
        }
      });
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** How many of this process's file descriptors are open on `path`. */
async function openDescriptorsOn(path: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir("/proc/self/fd")) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => "");
    if (target === path) count += 1;
  }
  return count;
}

describe("sendBlob", () => {
  it("sends the whole file byte for byte with its length, ETag and type, to a client that reads slowly", async () => {
    const answer = await request("/blob", {}, { slow: true });
    expect(answer.status).toBe(200);
    expect(answer.headers["content-length"]).toBe(String(SIZE));
    expect(answer.headers.etag).toBe(etag);
    expect(answer.headers["content-type"]).toBe("application/zip");
    expect(answer.headers["accept-ranges"]).toBe("bytes");
    expect(answer.body.equals(bytes)).toBe(true);
  });

  it("sends one range across chunk boundaries with 206 and Content-Range", async () => {
    const start = CHUNK_BYTES - 10;
    const end = 3 * CHUNK_BYTES + 9;
    const answer = await request("/blob", { Range: `bytes=${String(start)}-${String(end)}` });
    expect(answer.status).toBe(206);
    expect(answer.headers["content-range"]).toBe(`bytes ${String(start)}-${String(end)}/${String(SIZE)}`);
    expect(answer.headers["content-length"]).toBe(String(end - start + 1));
    expect(answer.body.equals(bytes.subarray(start, end + 1))).toBe(true);
  });

  it("sends the last bytes for a suffix range", async () => {
    const answer = await request("/blob", { Range: "bytes=-7" });
    expect(answer.status).toBe(206);
    expect(answer.body.equals(bytes.subarray(SIZE - 7))).toBe(true);
  });

  it("answers an unsatisfiable range with 416 and the full length", async () => {
    const answer = await request("/blob", { Range: `bytes=${String(SIZE + 10)}-` });
    expect(answer.status).toBe(416);
    expect(answer.headers["content-range"]).toBe(`bytes */${String(SIZE)}`);
    expect(answer.body.length).toBe(0);
  });

  it("honours If-Range with the ETag and sends the whole file for another validator", async () => {
    const right = await request("/blob", { Range: "bytes=5-9", "If-Range": etag });
    expect(right.status).toBe(206);
    expect(right.body.equals(bytes.subarray(5, 10))).toBe(true);
    const wrong = await request("/blob", { Range: "bytes=5-9", "If-Range": '"other"' });
    expect(wrong.status).toBe(200);
    expect(wrong.body.equals(bytes)).toBe(true);
  });

  it("answers If-None-Match with the ETag by 304 and HEAD by the headers alone", async () => {
    const notModified = await request("/blob", { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    const head = await request("/blob", {}, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(SIZE));
    expect(head.body.length).toBe(0);
    expect(await openDescriptorsOn(blob)).toBe(0);
  });

  it("closes the file when the client goes away mid-download", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = get(`${base}/blob`, (res) => {
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          // Stop reading after the first megabyte: the server is left waiting on a full socket.
          if (received > CHUNK_BYTES) {
            res.pause();
            setTimeout(() => {
              req.destroy();
              resolve();
            }, 100);
          }
        });
      });
      req.on("error", () => undefined);
      setTimeout(() => {
        reject(new Error("no bytes arrived"));
      }, 10_000);
    });
    await expect.poll(() => openDescriptorsOn(blob), { timeout: 5000 }).toBe(0);
    // And the server still serves.
    expect((await request("/blob", { Range: "bytes=0-0" })).status).toBe(206);
  });

  it("cuts the connection when the file turns out shorter than its size, and closes it", async () => {
    const short = join(dir.path, "short");
    await writeFile(short, bytes);
    const answer = new Promise<{ status: number; received: number; aborted: boolean }>((resolve, reject) => {
      const req = get(`${base}/short`, (res) => {
        let received = 0;
        let truncated = false;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (!truncated) {
            truncated = true;
            // The server has read at most two chunks ahead by now; the rest of the file disappears.
            void truncate(short, 4 * CHUNK_BYTES);
          }
        });
        res.on("aborted", () => {
          resolve({ status: res.statusCode ?? 0, received, aborted: true });
        });
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, received, aborted: false });
        });
        res.on("error", () => undefined);
      });
      req.on("error", reject);
    });
    const { status, received, aborted } = await answer;
    expect(status).toBe(200);
    expect(aborted).toBe(true);
    expect(received).toBeLessThan(SIZE);
    await expect.poll(() => openDescriptorsOn(short), { timeout: 5000 }).toBe(0);
  });
});
