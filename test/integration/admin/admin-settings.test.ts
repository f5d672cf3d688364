import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiErrorSchema, settingsSchema } from "../../../shared/api/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

const PRIVATE = "registry.private.example";
const SECRET = "s3cret-registry-token-0123456789";

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness("admin-settings", { seed: false });
});
afterAll(async () => {
  await h.stop();
});

const put = (path: string, json: unknown) => h.api(path, { method: "PUT", json });
async function fieldsOf(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  const body = apiErrorSchema.parse(await response.json());
  return (body.fields ?? []).map((field) => field.path);
}

describe("GET/PUT /api/settings", () => {
  it("answers the settings in the shared shape", async () => {
    const response = await h.api("/api/settings");
    expect(response.status).toBe(200);
    const settings = settingsSchema.parse(await response.json());
    expect(settings.clients.length).toBeGreaterThan(0);
    expect(settings.upstreams.map((upstream) => upstream.source)).toContain("flag");
  });

  it("a partial update persists, leaves the rest, and larder config shows it", async () => {
    const before = await h.client.settings();
    const after = settingsSchema.parse(
      await (await put("/api/settings", { pullThroughTtlSeconds: 42 })).json(),
    );
    expect(after).toEqual({ ...before, pullThroughTtlSeconds: 42 });
    const cli = await runLarder(["config", "--data-dir", h.dataDir]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/pullThroughTtlSeconds\s+42\s+set/);
  });

  it.each([
    [{ concurrency: 0 }, "concurrency"],
    [{ concurrency: "4" }, "concurrency"],
    [{ catalogRefreshHours: 721 }, "catalogRefreshHours"],
    [{ clients: [] }, "clients"],
    [{ clients: ["pulumi"] }, "clients.0"],
    [{ colour: "blue" }, ""],
    [{ upstreams: [] }, ""],
  ])("refuses %j with 400 naming the field", async (body, field) => {
    const response = await put("/api/settings", body);
    const fields = await fieldsOf(response);
    if (field === "") expect(fields.length).toBeGreaterThan(0);
    else expect(fields).toContain(field);
  });

  it("reads and changes catalogRefreshHours like the other settings", async () => {
    expect((await h.client.settings()).catalogRefreshHours).toBe(24);
    expect((await h.client.updateSettings({ catalogRefreshHours: 6 })).catalogRefreshHours).toBe(6);
    expect((await h.client.settings()).catalogRefreshHours).toBe(6);
  });

  it("refuses an empty update and a body that is not an object, changing nothing", async () => {
    const before = await h.client.settings();
    for (const body of [{}, [], "concurrency", null]) {
      const response = await put("/api/settings", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(await h.client.settings()).toEqual(before);
  });

  it("sends a settings event after a change", async () => {
    const events = await SseReader.open(`${h.server.httpUrl}/api/events`, {
      authorization: `Bearer ${h.token}`,
    });
    try {
      await put("/api/settings", { concurrency: 6, perHostConcurrency: 2 });
      const event = await events.waitFor((e) => e.event === "settings");
      expect([...(JSON.parse(event.data) as { keys: string[] }).keys].sort()).toEqual([
        "concurrency",
        "perHostConcurrency",
      ]);
    } finally {
      events.close();
    }
  });

  it("requireSignatures applies to the running Larder without a restart", async () => {
    expect(h.larder.requiresSignatures()).toBe(false);
    await put("/api/settings", { requireSignatures: true });
    expect(h.larder.requiresSignatures()).toBe(true);
    await put("/api/settings", { requireSignatures: false });
    expect(h.larder.requiresSignatures()).toBe(false);
  });
});

describe("upstream registries", () => {
  const path = `/api/settings/upstreams/${PRIVATE}`;
  const entry = async () =>
    (await h.client.settings()).upstreams.find((upstream) => upstream.host === PRIVATE);

  it("stores a token 0600 and never echoes it back", async () => {
    const response = await put(path, { url: "https://mirror.private.example/", token: SECRET });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const stored = settingsSchema.parse(JSON.parse(text)).upstreams.find((u) => u.host === PRIVATE);
    expect(stored).toMatchObject({ hasToken: true, source: "setting" });
    expect(stored?.url).toMatch(/^https:\/\/mirror\.private\.example/);
    expect(await (await h.api("/api/settings")).text()).not.toContain(SECRET);
    expect(await (await h.api("/api/audit?limit=500")).text()).not.toContain(SECRET);
    const credentials = join(h.dataDir, "credentials.json");
    expect(await readFile(credentials, "utf8")).toContain(SECRET);
    expect((await stat(credentials)).mode & 0o777).toBe(0o600);
  });

  it("keeps the token when it is left out, and removes it with null", async () => {
    await put(path, { url: "https://other.private.example/" });
    expect(await entry()).toMatchObject({ hasToken: true });
    await put(path, { token: null });
    expect(await entry()).toMatchObject({ hasToken: false });
    expect(await readFile(join(h.dataDir, "credentials.json"), "utf8")).not.toContain(SECRET);
  });

  it("DELETE removes the registry", async () => {
    const response = await h.api(path, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(await entry()).toBeUndefined();
  });

  it("refuses a bad host, URL or token with 400 naming the field", async () => {
    expect(await fieldsOf(await put("/api/settings/upstreams/bad host!", { url: null }))).toContain("host");
    expect(await fieldsOf(await h.api("/api/settings/upstreams/a_b", { method: "DELETE" }))).toContain(
      "host",
    );
    for (const host of ["registry.example.com:99999", ".example.com"])
      expect(await fieldsOf(await put(`/api/settings/upstreams/${host}`, { url: null })), host).toContain(
        "host",
      );
    expect(await (await h.api("/api/audit?action=upstream.set&limit=500")).text()).not.toMatch(
      /99999|"\.example/,
    );
    expect(await fieldsOf(await put(path, { url: "ftp://x.example" }))).toContain("url");
    expect(await fieldsOf(await put(path, { token: "" }))).toContain("token");
    expect(await fieldsOf(await put(path, { password: "x" }))).not.toHaveLength(0);
  });
});

describe("POST /api/settings/upstreams/:host/test", () => {
  it("passes the fixture registry the server reaches through its --upstream flag", async () => {
    const check = await h.client.testUpstream("registry.terraform.io");
    expect(check).toMatchObject({ host: "registry.terraform.io", ok: true, hasToken: false });
    expect(check.steps.map((step) => step.name)).toEqual(["discovery", "providers.v1", "modules.v1"]);
  });

  it("answers 200 with the failed step for a registry that cannot be reached", async () => {
    await put(`/api/settings/upstreams/${PRIVATE}`, { url: "http://127.0.0.1:9" });
    const check = await h.client.testUpstream(PRIVATE);
    expect(check.ok).toBe(false);
    expect(check.steps).toEqual([
      { name: "discovery", ok: false, detail: expect.stringMatching(/127\.0\.0\.1:9/) as unknown },
    ]);
    await h.api(`/api/settings/upstreams/${PRIVATE}`, { method: "DELETE" });
  });

  it("refuses a bad host with 400 naming the field", async () => {
    const response = await h.api("/api/settings/upstreams/bad host!/test", { method: "POST", json: {} });
    expect(await fieldsOf(response)).toContain("host");
  });
});
