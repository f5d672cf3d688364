import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AnswerCache } from "../../../main/server/protocol-cache/answer-cache.js";
import {
  createProtocolFastPath,
  type RequestHandler,
} from "../../../main/server/protocol-cache/fast-path.js";

const VERSIONS = "/v1/providers/registry.terraform.io/acme/x/versions";
const INDEX = "/providers/registry.terraform.io/acme/x/index.json";

/** A fast path over a cache whose generation the test moves, with a fallback that answers 404 "fallback". */
function fixture(options: { readonly onFallback?: (url: string) => void } = {}) {
  const state = {
    generation: 1,
    reads: 0,
    failing: false,
    fallbacks: [] as string[],
    counted: [] as number[],
  };
  const cache = new AnswerCache(() => {
    state.reads += 1;
    if (state.failing) throw new Error("database is locked");
    return state.generation;
  });
  const fallback: RequestHandler = (req, res) => {
    const url = req.url ?? "";
    state.fallbacks.push(url);
    options.onFallback?.(url);
    res.writeHead(404, { "Content-Length": "8" });
    res.end("fallback");
  };
  const metrics = {
    countRequest: (_path: string, status: number) => {
      state.counted.push(status);
    },
    countServed: () => undefined,
  };
  const handle = createProtocolFastPath(cache, metrics, () => false, fallback);
  const put = (key: string, body: string): void => {
    cache.put(key, cache.sync(), { status: 200, body: Buffer.from(body) });
    state.reads = 0;
  };
  return { state, handle, put, cache };
}

let server: Server | undefined;

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((done) => {
    closing.close(done);
  });
});

async function listen(handle: RequestHandler): Promise<number> {
  server = createServer(handle);
  await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
  return (server.address() as AddressInfo).port;
}

/**
 * Sends the requests pipelined in one write (so the server reads them in one poll phase) and returns the raw
 * answers once all of them arrived whole.
 */
function pipelined(port: number, requests: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if ((text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length === requests.length && lastIsWhole(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on("error", reject);
    socket.write(requests.join(""));
  });
}

/** Whether the last answer in `text` has its head and its Content-Length worth of body (none for a 304). */
function lastIsWhole(text: string): boolean {
  const head = text.lastIndexOf("HTTP/1.1 ");
  const end = text.indexOf("\r\n\r\n", head);
  if (end === -1) return false;
  const length = Number(/content-length: (\d+)/i.exec(text.slice(head, end))?.[1] ?? "0");
  return text.startsWith("HTTP/1.1 304", head) || text.length - (end + 4) >= length;
}

const get = (path: string, headers = ""): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`;

describe("the protocol fast path", () => {
  it("answers the requests read in one poll phase together, after one read of the mirror's generation", async () => {
    const { state, handle, put } = fixture();
    put(VERSIONS, '{"versions":[]}');
    put(INDEX, '{"versions":{}}');
    const port = await listen(handle);
    const text = await pipelined(port, [get(VERSIONS), get(INDEX), get(VERSIONS)]);
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(text).toContain('{"versions":[]}');
    expect(text).toContain('{"versions":{}}');
    expect(state.reads).toBe(1);
    expect(state.counted).toEqual([200, 200, 200]);
  });

  it("reads the generation after every request of the batch arrived: a change landing meanwhile is answered", async () => {
    // "/other" is not a cached path: Express (here the fallback) takes it at once and moves the generation, as a
    // commit by another process would, after the first request for the cached path arrived and before the second.
    const moved = { by: undefined as { generation: number } | undefined };
    const f = fixture({
      onFallback: (url) => {
        if (url === "/other" && moved.by) moved.by.generation += 1;
      },
    });
    moved.by = f.state;
    f.put(VERSIONS, '{"versions":["stale"]}');
    const port = await listen(f.handle);
    const text = await pipelined(port, [get(VERSIONS), get("/other"), get(VERSIONS)]);
    expect(text).not.toContain("stale");
    expect(f.state.fallbacks).toEqual(["/other", VERSIONS, VERSIONS]);
  });

  it("answers 304 for a matching If-None-Match and HEAD without a body", async () => {
    const { handle, put } = fixture();
    put(VERSIONS, '{"versions":[]}');
    const port = await listen(handle);
    const first = await pipelined(port, [get(VERSIONS)]);
    const etag = /etag: (\S+)/i.exec(first)?.[1] ?? "";
    const notModified = await pipelined(port, [get(VERSIONS, `If-None-Match: ${etag}\r\n`)]);
    expect(notModified).toMatch(/^HTTP\/1\.1 304 /);
    expect(notModified).toContain(`ETag: ${etag}`);
    expect(notModified).not.toMatch(/content-type/i);
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        text += chunk.toString("latin1");
        if (text.includes("\r\n\r\n")) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on("error", reject);
      socket.write(`HEAD ${VERSIONS} HTTP/1.1\r\nHost: x\r\n\r\n`);
    });
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).toContain("Content-Length: 15");
    expect(head.endsWith("\r\n\r\n")).toBe(true);
  });

  it("hands the batch to the fallback when the generation cannot be read, and keeps serving", async () => {
    const { state, handle, put } = fixture();
    put(VERSIONS, '{"versions":[]}');
    const port = await listen(handle);
    state.failing = true;
    const failed = await pipelined(port, [get(VERSIONS), get(INDEX)]);
    expect(failed.match(/HTTP\/1\.1 404 /g)).toHaveLength(2);
    expect(state.fallbacks).toEqual([VERSIONS, INDEX]);
    state.failing = false;
    expect(await pipelined(port, [get(VERSIONS)])).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("hands an answer that cannot be sent to the fallback and still answers the rest of the batch", async () => {
    const { state, handle, put, cache } = fixture();
    put(INDEX, '{"versions":{}}');
    // A header value Node refuses (a line break): writeHead throws, outside any request handler.
    cache.put(VERSIONS, cache.sync(), {
      status: 204,
      body: Buffer.alloc(0),
      headers: { "X-Terraform-Get": "/files/a\nb" },
    });
    const port = await listen(handle);
    const text = await pipelined(port, [get(VERSIONS), get(INDEX)]);
    expect(text).toMatch(/^HTTP\/1\.1 404 /);
    expect(text).toContain('{"versions":{}}');
    expect(state.fallbacks).toEqual([VERSIONS]);
  });

  it("leaves other methods, query strings and other paths to the fallback at once", async () => {
    const { state, handle, put } = fixture();
    put(VERSIONS, '{"versions":[]}');
    const port = await listen(handle);
    const text = await pipelined(port, [
      `DELETE ${VERSIONS} HTTP/1.1\r\nHost: x\r\n\r\n`,
      get(`${VERSIONS}?x=1`),
      get("/files/a"),
    ]);
    expect(text.match(/HTTP\/1\.1 404 /g)).toHaveLength(3);
    expect(state.fallbacks).toEqual([VERSIONS, `${VERSIONS}?x=1`, "/files/a"]);
    expect(state.reads).toBe(0);
  });
});
