import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP_HOST,
  startDesktopServer,
  stopDesktopServer,
  type DesktopServer,
} from "../../../main/electron/desktop-server.js";
import { MirrorStatus } from "../../../main/electron/mirror-status.js";
import { identityProof } from "../../../main/engine/admin-token.js";
import { freePorts, identifyPortOwner } from "../../../main/electron/port-owner.js";
import { startLarderServe, type ServeProcess } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

// The app reads the same environment `larder serve` does. No test reaches a real registry.
const UNREACHABLE = ["registry.terraform.io", "registry.opentofu.org", "api.opentofu.org"]
  .map((host) => `${host}=http://127.0.0.1:9`)
  .join(",");

let dataDir: TempDir;
let otherDataDir: TempDir;
const started: DesktopServer[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  dataDir = await makeTempDir("desktop");
  otherDataDir = await makeTempDir("desktop-other");
  process.env.LARDER_DATA_DIR = dataDir.path;
  process.env.LARDER_UPSTREAMS = UNREACHABLE;
});

afterEach(async () => {
  for (const server of started.splice(0)) await stopDesktopServer(server);
  for (const close of closers.splice(0)) await close();
});

afterAll(async () => {
  delete process.env.LARDER_DATA_DIR;
  delete process.env.LARDER_UPSTREAMS;
  await dataDir.remove();
  await otherDataDir.remove();
});

async function start(ports: { http: number; https: number }): Promise<DesktopServer> {
  const server = await startDesktopServer(ports, () => undefined);
  started.push(server);
  return server;
}

async function twoFreePorts(): Promise<{ http: number; https: number }> {
  const [http = 0, https = 0] = await freePorts(DESKTOP_HOST, 2);
  return { http, https };
}

function listen(server: Server | ReturnType<typeof createTcpServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, DESKTOP_HOST, () => {
      closers.push(() => new Promise((done) => server.close(done)));
      resolve();
    });
  });
}

describe("startDesktopServer", () => {
  it("runs its own engine and server on the loopback address when the ports are free", async () => {
    const ports = await twoFreePorts();
    const server = await start(ports);
    if (server.kind !== "own") throw new Error(`expected own, got ${server.kind}`);
    expect(server.httpUrl).toBe(`http://127.0.0.1:${ports.http}`);
    expect(server.larder.dataDir).toBe(dataDir.path);
    const status = await fetch(`${server.httpUrl}/api/status`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(status.status).toBe(200);
    // The token is the data dir's: the one `larder serve` and the CLI use.
    const denied = await fetch(`${server.httpUrl}/api/status`, { headers: { authorization: "Bearer nope" } });
    expect(denied.status).toBe(401);
  });

  it("attaches to a Larder that already serves the same data dir (a second app instance or larder serve)", async () => {
    const ports = await twoFreePorts();
    const first = await start(ports);
    expect(first.kind).toBe("own");
    const second = await start(ports);
    if (first.kind !== "own" || second.kind !== "attached")
      throw new Error(`expected attached, got ${second.kind}`);
    expect(second).toEqual({
      kind: "attached",
      httpUrl: `http://127.0.0.1:${ports.http}`,
      token: first.token,
      dataDir: dataDir.path,
    });
  });

  it("attaches to a `larder serve` process on the same data dir, and the tray can read its jobs", async () => {
    const ports = await twoFreePorts();
    const serve: ServeProcess = await startLarderServe(
      ["--port", String(ports.http), "--https-port", String(ports.https)],
      { LARDER_DATA_DIR: dataDir.path },
    );
    closers.push(() => serve.stop());
    const server = await start(ports);
    if (server.kind !== "attached") throw new Error(`expected attached, got ${server.kind}`);
    const status = new MirrorStatus(server.httpUrl, server.token);
    await status.refresh();
    expect(status.activeJobs()).toBe(0);
    await expect(status.pauseAll()).resolves.toBe(0);
  });

  it("reports a conflict when a Larder for another data dir holds the port: it cannot prove this data dir's token", async () => {
    const ports = await twoFreePorts();
    const serve = await startLarderServe(
      ["--port", String(ports.http), "--https-port", String(ports.https)],
      { LARDER_DATA_DIR: otherDataDir.path },
    );
    closers.push(() => serve.stop());
    const server = await start(ports);
    if (server.kind !== "conflict") throw new Error(`expected conflict, got ${server.kind}`);
    expect(server.ports).toEqual(ports);
    expect(server.detail).toMatch(/is already in use/);
    expect(server.detail).toMatch(/serves another data directory \(its admin token differs\)/);
  });

  it("offers two other ports that are free, and they work", async () => {
    const ports = await twoFreePorts();
    await listen(
      createTcpServer((socket) => socket.destroy()),
      ports.http,
    );
    const conflict = await start(ports);
    if (conflict.kind !== "conflict") throw new Error(`expected conflict, got ${conflict.kind}`);
    expect(conflict.detail).toMatch(/does not answer HTTP/);
    const { suggested } = conflict;
    expect(suggested.http).not.toBe(suggested.https);
    expect([suggested.http, suggested.https]).not.toContain(ports.http);
    const retried = await start(suggested);
    expect(retried.kind).toBe("own");
  });

  it("tells a web server that is not Larder apart from a Larder, and never sends it the admin token", async () => {
    const ports = await twoFreePorts();
    const seen: string[] = [];
    await listen(
      createHttpServer((req, res) => {
        seen.push(`${req.url ?? ""} ${req.headers.authorization ?? "(no authorization)"}`);
        res.writeHead(404).end("not here");
      }),
      ports.http,
    );
    const conflict = await start(ports);
    if (conflict.kind !== "conflict") throw new Error(`expected conflict, got ${conflict.kind}`);
    expect(conflict.detail).toMatch(/is not Larder \(HTTP 404\)/);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^\/identify\?nonce=[0-9a-f]{64} \(no authorization\)$/);
  });

  it("leaves the data dir usable after a conflict: nothing is held open", async () => {
    const ports = await twoFreePorts();
    await listen(
      createTcpServer((socket) => socket.destroy()),
      ports.https,
    );
    const conflict = await start(ports);
    expect(conflict.kind).toBe("conflict");
    const own = await start(await twoFreePorts());
    expect(own.kind).toBe("own");
  });
});

describe("identifyPortOwner", () => {
  /** A server answering /identify with `identify(nonce)` and /api/status with `status`; records what it was sent. */
  const impostor = async (
    identify: (nonce: string) => unknown,
    status: unknown = {},
  ): Promise<{ url: string; seen: string[] }> => {
    const seen: string[] = [];
    const server = createHttpServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      seen.push(`${url.pathname} ${req.headers.authorization ?? "-"}`);
      const body = url.pathname === "/identify" ? identify(url.searchParams.get("nonce") ?? "") : status;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await listen(server, 0);
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    return { url: `http://${DESKTOP_HOST}:${address.port}`, seen };
  };

  it("calls a Larder that cannot prove this data dir's token another data dir's, and sends it no token", async () => {
    const { url, seen } = await impostor(() => ({ app: "larder", version: "0.1.0", proof: "0".repeat(64) }));
    await expect(identifyPortOwner(url, dataDir.path, "the-token")).resolves.toEqual({
      kind: "other",
      detail: `a Larder 0.1.0 at ${url} serves another data directory (its admin token differs)`,
    });
    expect(seen).toEqual(["/identify -"]);
  });

  it("does not take an answer of the wrong shape for Larder", async () => {
    const { url } = await impostor(() => ({ dataDir: dataDir.path }));
    await expect(identifyPortOwner(url, dataDir.path, "t")).resolves.toEqual({
      kind: "other",
      detail: `${url} is not Larder (an unexpected /identify)`,
    });
  });

  it("asks /api/status, with the token, only once the token is proven, and refuses a bad answer", async () => {
    const { url, seen } = await impostor((nonce) => ({
      app: "larder",
      version: "0.1.0",
      proof: identityProof("the-token", nonce),
    }));
    // It proved the token, but its /api/status is not a Larder status: refused all the same.
    await expect(identifyPortOwner(url, dataDir.path, "the-token")).resolves.toEqual({
      kind: "other",
      detail: `the Larder at ${url} does not answer /api/status`,
    });
    expect(seen).toEqual(["/identify -", "/api/status Bearer the-token"]);
  });

  it("calls a closed port one that does not answer HTTP", async () => {
    const { http } = await twoFreePorts();
    const url = `http://${DESKTOP_HOST}:${http}`;
    await expect(identifyPortOwner(url, dataDir.path, "t")).resolves.toEqual({
      kind: "other",
      detail: `something at ${url} does not answer HTTP`,
    });
  });
});

describe("MirrorStatus", () => {
  it("says the server does not answer instead of showing a stale count", async () => {
    const { http } = await twoFreePorts();
    const status = new MirrorStatus(`http://${DESKTOP_HOST}:${http}`, "t");
    await status.refresh();
    expect(status.activeJobs()).toBeNull();
    await expect(status.pauseAll()).resolves.toBe(0);
  });
});
