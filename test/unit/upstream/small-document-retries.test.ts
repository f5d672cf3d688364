import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { UpstreamHttpClient } from "../../../main/upstream/http-client.js";
import { ServiceDiscovery } from "../../../main/upstream/service-discovery.js";

/** Answers request number `n` (0 for the first) of the current test. */
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const STALL_MS = 150;
const http = new UpstreamHttpClient({
  userAgent: "larder-test",
  retries: 3,
  retryBaseDelayMs: 1,
  smallBodyStallMs: STALL_MS,
});

const body = Buffer.from(JSON.stringify({ padding: "x".repeat(480), ok: true }));
const discovery = Buffer.from(JSON.stringify({ "providers.v1": "/v1/providers/" }));

let server: Server;
let base: string;
let handler: Handler;
let requests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    handler(req, res, requests++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests = 0;
});

function whole(res: ServerResponse, content: Buffer, type = "application/json"): void {
  res.writeHead(200, { "content-type": type, "content-length": String(content.length) });
  res.end(content);
}

/**
 * Declares the whole length, sends `bytes` of it, then closes (FIN) or resets (RST) the socket. The pause lets the
 * client take in the headers first, so the failure lands in the body and not before the response.
 */
function cut(res: ServerResponse, content: Buffer, bytes: number, how: "close" | "reset"): void {
  res.writeHead(200, { "content-type": "application/json", "content-length": String(content.length) });
  res.write(content.subarray(0, bytes));
  void sleep(100).then(() => {
    if (how === "reset") res.socket?.resetAndDestroy();
    else res.socket?.destroy();
  });
}

describe("small documents are fetched again when their body breaks off", () => {
  it("retries a body reset mid-way and returns the second, whole answer", async () => {
    handler = (_req, res, n) => {
      if (n === 0) cut(res, body, 200, "reset");
      else whole(res, body);
    };
    const bytes = await http.getBytes(`${base}/SHA256SUMS`, { what: "the SHA256SUMS" }, 4096);
    expect(Buffer.from(bytes).equals(body)).toBe(true);
    expect(requests).toBe(2);
  });

  it("retries a body shorter than its Content-Length", async () => {
    handler = (_req, res, n) => {
      if (n === 0) cut(res, body, 120, "close");
      else whole(res, body);
    };
    const answer = await http.getJson(`${base}/download.json`, { what: "the download JSON" });
    expect(answer?.json).toMatchObject({ ok: true });
    expect(requests).toBe(2);
  });

  it("retries a body that stalls, once the stall bound has passed", async () => {
    handler = (_req, res, n) => {
      if (n > 0) {
        whole(res, body);
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": String(body.length) });
      res.write(body.subarray(0, 100));
      // Then silence: the client gives up on this attempt, and the socket goes when the server closes.
    };
    const started = Date.now();
    const answer = await http.getJson(`${base}/versions`, { what: "the module versions" });
    expect(answer?.json).toMatchObject({ ok: true });
    expect(requests).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(STALL_MS - 10);
  });

  it("gives up after retries + 1 attempts, saying what was fetched and what happened", async () => {
    handler = (_req, res) => {
      cut(res, body, 120, "close");
    };
    const failure = await http.getBytes(`${base}/sig`, { what: "the SHA256SUMS signature" }, 4096).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LarderError);
    expect((failure as LarderError).code).toBe("upstream_unreachable");
    expect((failure as LarderError).message).toContain(
      `Could not fetch the SHA256SUMS signature from ${base}/sig: the connection closed after 120 of ${body.length} bytes, 4 attempts.`,
    );
    expect(requests).toBe(4);
  });

  it("refuses a body over the limit at once, without retrying", async () => {
    handler = (_req, res) => {
      whole(res, body);
    };
    await expect(http.getBytes(`${base}/big`, { what: "a big file" }, 100)).rejects.toThrow(
      /a big file .*: the response is larger than 100 bytes/,
    );
    expect(requests).toBe(1);
  });

  it("retries a service discovery document cut off mid-way", async () => {
    handler = (_req, res, n) => {
      if (n === 0) cut(res, discovery, 10, "close");
      else whole(res, discovery);
    };
    const services = new ServiceDiscovery(http, new Map([["registry.test", base]]));
    expect(await services.providersBaseUrl("registry.test")).toBe(`${base}/v1/providers/`);
    expect(requests).toBe(2);
  });

  it("still refuses a discovery document with the wrong Content-Type, once and without reading it", async () => {
    handler = (_req, res) => {
      whole(res, discovery, "text/html");
    };
    const services = new ServiceDiscovery(http, new Map([["registry.test", base]]));
    await expect(services.providersBaseUrl("registry.test")).rejects.toThrow(
      /returned Content-Type "text\/html"; terraform requires application\/json/,
    );
    expect(requests).toBe(1);
  });

  it("treats a discovery 404 as a host without services", async () => {
    handler = (_req, res) => {
      res.writeHead(404).end();
    };
    const services = new ServiceDiscovery(http, new Map([["registry.test", base]]));
    expect(await services.services("registry.test")).toEqual({});
    expect(requests).toBe(1);
  });
});
