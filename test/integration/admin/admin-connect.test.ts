import { access } from "node:fs/promises";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectInfoSchema, statusSchema, type ConnectInfo } from "../../../shared/api/index.js";
import { ALPHA_PLATFORMS, ALPHA_VERSIONS, BETA_PLATFORMS, BETA_VERSIONS } from "../server/harness.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

/** GET /api/connect with a chosen Host header (fetch would not let the test pick it). */
function connectAs(h: AdminHarness, host: string): Promise<ConnectInfo> {
  const url = new URL(h.server.httpUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: "/api/connect",
        headers: { host, authorization: `Bearer ${h.token}` },
        agent: false,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => {
          try {
            expect(res.statusCode).toBe(200);
            resolve(connectInfoSchema.parse(JSON.parse(body)));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("with HTTPS on", () => {
  let h: AdminHarness;
  let httpPort: string;
  let httpsPort: string;
  beforeAll(async () => {
    h = await startAdminHarness("admin-connect-https", { https: true });
    httpPort = new URL(h.server.httpUrl).port;
    httpsPort = new URL(h.server.httpsUrl ?? "").port;
  });
  afterAll(async () => {
    await h.stop();
  });

  it("GET /api/connect gives four configs on the listener ports", async () => {
    const info = await h.client.connect();
    expect(info.httpUrl).toBe(h.server.httpUrl);
    expect(info.httpsUrl).toBe(h.server.httpsUrl);
    expect(info.configs.map((config) => `${config.tool}/${config.mode}`).sort()).toEqual([
      "terraform/host",
      "terraform/network-mirror",
      "tofu/host",
      "tofu/network-mirror",
    ]);
    for (const config of info.configs) {
      expect(config.text, `${config.tool}/${config.mode}`).toContain(`http://127.0.0.1:${httpPort}`);
      if (config.mode === "network-mirror")
        expect(config.text).toContain(`https://127.0.0.1:${httpsPort}/providers/`);
    }
  });

  it("names the host the request used", async () => {
    const info = await connectAs(h, `localhost:${httpPort}`);
    expect(info.httpUrl).toBe(`http://localhost:${httpPort}`);
    expect(info.httpsUrl).toBe(`https://localhost:${httpsPort}`);
    for (const config of info.configs) {
      expect(config.text).toContain(`http://localhost:${httpPort}`);
      expect(config.text).not.toContain("127.0.0.1");
    }
    expect((await connectAs(h, `[::1]:${httpPort}`)).httpUrl).toBe(`http://[::1]:${httpPort}`);
  });

  it("names an existing CA and trust steps for each OS", async () => {
    const info = await h.client.connect();
    expect(info.caCertPath).toBe(h.server.tls?.caCertPath);
    await access(info.caCertPath ?? "");
    await access(info.trustBundlePath ?? "");
    expect(info.trust.map((entry) => entry.os).sort()).toEqual(["linux", "macos", "windows"]);
    for (const entry of info.trust) {
      expect(entry.steps.length).toBeGreaterThan(0);
      expect(entry.steps.map((step) => step.command).join("\n")).toContain(info.caCertPath);
    }
  });

  it("POST /api/connect/test passes discovery, HTTPS with the CA and the network mirror", async () => {
    const result = await h.client.testConnection();
    expect(result.ok, JSON.stringify(result.checks)).toBe(true);
    expect(result.checks.map((check) => check.name)).toEqual([
      "HTTP discovery",
      "HTTPS with Larder's CA",
      "Network mirror",
    ]);
    expect(result.checks[2]?.detail).toMatch(
      /\/providers\/registry\.[a-z.]+\/fixture\/(alpha|beta)\/index\.json/,
    );
  });

  it("GET /api/status counts what the harness stored", async () => {
    const status = statusSchema.parse(await (await h.api("/api/status")).json());
    expect(status).toMatchObject({
      dataDir: h.dataDir,
      listeners: { http: h.server.httpUrl, https: h.server.httpsUrl },
      mode: "offline",
      counts: {
        providers: 2,
        providerVersions: ALPHA_VERSIONS.length + BETA_VERSIONS.length,
        providerPackages:
          ALPHA_VERSIONS.length * ALPHA_PLATFORMS.length + BETA_VERSIONS.length * BETA_PLATFORMS.length,
        modules: 0,
        moduleVersions: 0,
        activeJobs: 0,
      },
    });
    expect(status.disk.storedBytes).toBeGreaterThan(0);
    expect(status.disk.freeBytes).toBeGreaterThan(0);
  });
});

describe("with HTTPS off", () => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdminHarness("admin-connect-http", { seed: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it("offers only host-mode configs and no CA", async () => {
    const info = await h.client.connect();
    expect(info).toMatchObject({ httpsUrl: null, caCertPath: null, trustBundlePath: null, trust: [] });
    expect(info.configs.map((config) => `${config.tool}/${config.mode}`).sort()).toEqual([
      "terraform/host",
      "tofu/host",
    ]);
  });

  it("the self-test says HTTPS is off", async () => {
    const result = await h.client.testConnection();
    expect(result.ok).toBe(true);
    expect(result.checks.find((check) => check.name === "HTTPS")?.detail).toMatch(/HTTPS is off/);
  });

  it("GET /api/status has no HTTPS listener and nothing stored", async () => {
    const status = await h.client.status();
    expect(status.listeners.https).toBeNull();
    expect(status.counts).toMatchObject({ providers: 0, providerVersions: 0, providerPackages: 0 });
  });
});
