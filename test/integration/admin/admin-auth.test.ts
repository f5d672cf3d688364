import { chmod, readFile, stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPageSchema, settingsSchema } from "../../../shared/api/index.js";
import { startServer } from "../../../main/server/start-server.js";
import { runLarder, startLarderServe } from "../../helpers/larder-cli.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { rawRequest } from "../server/harness.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

/** Every route of main/server/routes/admin/*.ts, with a body where it takes one. */
const ROUTES: readonly (readonly [method: string, path: string])[] = [
  ["GET", "/api/status"],
  ["GET", "/api/events"],
  ["GET", "/api/jobs"],
  ["POST", "/api/jobs"],
  ["GET", "/api/jobs/1"],
  ["POST", "/api/jobs/1/cancel"],
  ["GET", "/api/connect"],
  ["POST", "/api/connect/test"],
  ["GET", "/api/bundles"],
  ["POST", "/api/bundles/export"],
  ["GET", "/api/bundles/export.tar"],
  ["POST", "/api/bundles/verify"],
  ["POST", "/api/bundles/import"],
  ["GET", "/api/audit"],
  ["GET", "/api/inventory"],
  ["GET", "/api/inventory/usage"],
  ["DELETE", "/api/inventory/providers/registry.terraform.io/fixture/alpha/1.1.0"],
  ["DELETE", "/api/inventory/modules/registry.terraform.io/fixture/net/aws/1.0.0"],
  ["POST", "/api/gc"],
  ["GET", "/api/settings"],
  ["PUT", "/api/settings"],
  ["PUT", "/api/settings/upstreams/registry.example.com"],
  ["DELETE", "/api/settings/upstreams/registry.example.com"],
  ["GET", "/api/no-such-route"],
];

/** No credentials, a wrong bearer token, a wrong login cookie (named by the server's port), a cookie of another port's Larder. */
const credentials = (): readonly Record<string, string>[] => [
  {},
  { authorization: "Bearer wrong" },
  { cookie: `larder_admin_${port}=wrong` },
  { cookie: `larder_admin_1=${h.token}` },
];

let h: AdminHarness;
let port: string;
beforeAll(async () => {
  h = await startAdminHarness("admin-auth");
  port = new URL(h.server.httpUrl).port;
});
afterAll(async () => {
  await h.stop();
});

const concurrency = async (): Promise<number> =>
  settingsSchema.parse(await (await h.api("/api/settings")).json()).concurrency;
const latestAudit = async () =>
  auditPageSchema.parse(await (await h.api("/api/audit?limit=1")).json()).entries[0];

describe("admin token", () => {
  it.each(ROUTES)("%s %s answers 401 without credentials and with a wrong token", async (method, path) => {
    for (const headers of credentials()) {
      const response = await fetch(`${h.server.httpUrl}${path}`, { method, headers });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await response.json()) as { errors: string[] }).errors[0]).toMatch(/admin token/);
    }
  });

  it("is 256 bits of base64url in a 0600 file", async () => {
    const path = `${h.dataDir}/admin-token`;
    expect((await readFile(path, "utf8")).trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("a bearer token authenticates and its changes are recorded as api", async () => {
    const response = await h.api("/api/settings", { method: "PUT", json: { concurrency: 3 } });
    expect(response.status).toBe(200);
    expect(await latestAudit()).toMatchObject({ actor: "api", action: "config.set", outcome: "ok" });
  });

  it("the login link sets an HttpOnly SameSite=Strict cookie that authenticates as ui", async () => {
    const login = await fetch(`${h.server.httpUrl}/?token=${h.token}`, { redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/");
    const setCookie = login.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//i);
    expect(setCookie.startsWith(`larder_admin_${port}=`)).toBe(true);
    const cookie = setCookie.split(";")[0] ?? "";
    const put = await fetch(`${h.server.httpUrl}/api/settings`, {
      method: "PUT",
      headers: { cookie, "content-type": "application/json", "user-agent": "ui-test" },
      body: JSON.stringify({ concurrency: 5 }),
    });
    expect(put.status).toBe(200);
    const entry = await latestAudit();
    expect(entry).toMatchObject({ actor: "ui", userAgent: "ui-test", action: "config.set" });
    expect(entry?.peer).toMatch(/127\.0\.0\.1/);
  });

  it("a stale login link answers 401 HTML without a cookie", async () => {
    const response = await fetch(`${h.server.httpUrl}/?token=${"x".repeat(43)}`, { redirect: "manual" });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.text()).toMatch(/larder token --url/);
  });
});

describe("Host guard (DNS rebinding)", () => {
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${h.token}` });

  it("refuses a foreign Host on /api and / with 403", async () => {
    for (const path of ["/api/status", "/", `/?token=${h.token}`]) {
      const answer = await rawRequest(h.server.httpUrl, path, {
        headers: { ...auth(), host: "evil.example" },
      });
      expect(answer.status, path).toBe(403);
      expect(answer.body.toString()).toMatch(/--public-name evil\.example/);
    }
  });

  it("keeps the protocol routes open under any Host", async () => {
    for (const path of [
      "/v1/providers/registry.terraform.io/fixture/alpha/versions",
      "/healthz",
      "/.well-known/terraform.json",
    ]) {
      const answer = await rawRequest(h.server.httpUrl, path, { headers: { host: "evil.example" } });
      expect(answer.status, path).toBe(200);
    }
  });

  it("allows the loopback names", async () => {
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `127.0.0.1:${port}`, "127.0.0.1"]) {
      const answer = await rawRequest(h.server.httpUrl, "/api/status", { headers: { ...auth(), host } });
      expect(answer.status, host).toBe(200);
    }
  });

  it("allows a configured public name (--public-name)", async () => {
    const other = await startServer(h.larder, {
      host: "127.0.0.1",
      httpPort: 0,
      httpsPort: undefined,
      publicNames: ["Mirror.Example.COM"],
      log: () => undefined,
    });
    try {
      const ask = (host: string) =>
        rawRequest(other.httpUrl, "/api/status", { headers: { ...auth(), host } });
      expect((await ask("mirror.example.com:7373")).status).toBe(200);
      expect((await ask("evil.example")).status).toBe(403);
    } finally {
      await other.close(0);
    }
  });
});

describe("Origin guard (CSRF)", () => {
  const put = (headers: Record<string, string>, value: number) =>
    h.api("/api/settings", { method: "PUT", json: { concurrency: value }, headers });

  it("refuses a change from a foreign Origin and changes nothing", async () => {
    const before = await concurrency();
    for (const origin of ["http://evil.example", `http://localhost:${port}`, "null", `http://127.0.0.1:1`]) {
      const response = await put({ origin }, before + 1);
      expect(response.status, origin).toBe(403);
    }
    expect((await put({ "sec-fetch-site": "cross-site" }, before + 1)).status).toBe(403);
    expect(await concurrency()).toBe(before);
  });

  it("allows a same-origin change", async () => {
    const response = await put({ origin: h.server.httpUrl, "sec-fetch-site": "same-origin" }, 7);
    expect(response.status).toBe(200);
    expect(await concurrency()).toBe(7);
  });

  it("allows a read with a foreign Origin", async () => {
    expect((await h.api("/api/status", { headers: { origin: "http://evil.example" } })).status).toBe(200);
  });
});

describe("pages and errors", () => {
  it("/ is the UI's page, never cached, under the UI's CSP (test/integration/server/ui-serving.test.ts has more)", async () => {
    const response = await fetch(`${h.server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(await response.text()).toMatch(/<div id="root">/);
  });

  it("an unknown /api route is a JSON 404", async () => {
    const response = await h.api("/api/no-such-route");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(((await response.json()) as { errors: string[] }).errors[0]).toMatch(/No admin API route/);
  });

  it("a body that is not JSON is 400", async () => {
    const response = await h.api("/api/settings", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{concurrency: 2",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: string[] }).errors[0]).toMatch(/not valid JSON/);
  });
});

describe("larder serve (built CLI)", () => {
  it("prints the Admin login URL once and it signs in", async () => {
    const dir = await makeTempDir("admin-serve");
    const serve = await startLarderServe(["--data-dir", dir.path, "--port", "0", "--https-port", "0"]);
    try {
      const stdout = serve.stdout();
      const url = /Admin: (\S+)/.exec(stdout)?.[1] ?? "";
      expect(url).toMatch(new RegExp(`^${serve.httpUrl}/\\?token=[A-Za-z0-9_-]{43}$`));
      expect(stdout.match(/\?token=/g)).toHaveLength(1);
      const login = await fetch(url, { redirect: "manual" });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      expect((await fetch(`${serve.httpUrl}/api/status`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await serve.stop();
      await dir.remove();
    }
  });
});

// Last: rotating the token ends h.api's token.
describe("larder token (built CLI) against the running server", () => {
  it("--url prints a working login URL", async () => {
    const result = await runLarder(["token", "--url", "--port", port, "--data-dir", h.dataDir]);
    expect(result.code).toBe(0);
    const url = result.stdout.trim();
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${h.token}`);
    expect((await fetch(url, { redirect: "manual" })).status).toBe(303);
  });

  it("tightens a token file others could read back to 0600", async () => {
    const path = `${h.dataDir}/admin-token`;
    await chmod(path, 0o644);
    const result = await runLarder(["token", "--data-dir", h.dataDir]);
    expect(result.stdout.trim()).toBe(h.token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("--rotate locks out the old token at once and the new one works", async () => {
    const result = await runLarder(["token", "--rotate", "--data-dir", h.dataDir]);
    expect(result.code).toBe(0);
    const fresh = result.stdout.trim();
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(h.token);
    expect((await h.api("/api/status")).status).toBe(401);
    const ok = await fetch(`${h.server.httpUrl}/api/status`, {
      headers: { authorization: `Bearer ${fresh}` },
    });
    expect(ok.status).toBe(200);
    expect((await stat(`${h.dataDir}/admin-token`)).mode & 0o777).toBe(0o600);
  });
});
