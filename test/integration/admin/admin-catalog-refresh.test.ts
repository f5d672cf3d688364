// Catalog refreshes through a running server: started by the admin API, by the background check, or refused when
// the server serves --offline; each announced on the event stream.
import { afterEach, describe, expect, it } from "vitest";
import { AdminApiError } from "../../../shared/api-client.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

interface CatalogEvent {
  state: "started" | "finished";
  registries: string[];
  sources: { registry: string; kind: string; entries: number; error: string | null }[];
}

let harness: AdminHarness | undefined;
let stream: SseReader | undefined;

afterEach(async () => {
  stream?.close();
  stream = undefined;
  await harness?.stop();
  harness = undefined;
});

async function eventsOf(h: AdminHarness): Promise<SseReader> {
  stream = await SseReader.open(`${h.server.httpUrl}/api/events`, { authorization: `Bearer ${h.token}` });
  return stream;
}

const finished = (event: { event: string; data: string }): boolean =>
  event.event === "catalog" && (JSON.parse(event.data) as CatalogEvent).state === "finished";

describe("admin API: catalog refresh", () => {
  it("starts a refresh, answers 202 at once, announces start and finish, then search finds the entries", async () => {
    const h = (harness = await startAdminHarness("catalog-refresh", { seed: false }));
    const events = await eventsOf(h);
    const started = await h.client.refreshCatalog(["registry.opentofu.org"]);
    expect(started.registries).toEqual(["registry.opentofu.org"]);
    await events.waitFor(finished, 20_000);
    const [start, end] = events.dataOf<CatalogEvent>("catalog");
    expect(start?.state).toBe("started");
    expect(end?.sources.map((source) => [source.registry, source.kind, source.error])).toEqual([
      ["registry.opentofu.org", "provider", null],
      ["registry.opentofu.org", "module", null],
    ]);
    expect(end?.sources.every((source) => source.entries > 0)).toBe(true);
    const result = await h.client.searchCatalog({
      q: "",
      registry: ["registry.opentofu.org"],
      offline: true,
    });
    expect(result.results.length).toBeGreaterThan(0);
    expect(result.refreshedAt["registry.opentofu.org"]).toEqual(expect.any(String));
    const audit = await h.client.audit({ action: "catalog.refresh" });
    expect(audit.entries.map((entry) => [entry.target, entry.outcome])).toEqual([
      ["registry.opentofu.org", "ok"],
    ]);
  });

  it("answers 409 while a refresh runs, and 400 for a bad body", async () => {
    const h = (harness = await startAdminHarness("catalog-refresh-busy", { seed: false }));
    // One 429 with Retry-After 2 s holds the first refresh long enough to ask again.
    h.fixture.rateLimitNext("/registry/docs/providers", 1, 2);
    const events = await eventsOf(h);
    await h.client.refreshCatalog(["registry.opentofu.org"]);
    const second = await h.client.refreshCatalog().catch((error: unknown) => error);
    expect(second).toBeInstanceOf(AdminApiError);
    expect((second as AdminApiError).status).toBe(409);
    expect((second as AdminApiError).message).toMatch(/already running/);
    await events.waitFor(finished, 20_000);
    const bad = await h.api("/api/catalog/refresh", { method: "POST", json: { registries: [] } });
    expect(bad.status).toBe(400);
  });

  it("refreshes a stale catalog in the background", async () => {
    const h = (harness = await startAdminHarness("catalog-background", {
      seed: false,
      server: { catalogRefresh: { firstDelayMs: 50, intervalMs: 60_000 } },
    }));
    const events = await eventsOf(h);
    await events.waitFor(finished, 20_000);
    const end = events.dataOf<CatalogEvent>("catalog").find((event) => event.state === "finished");
    expect(end?.registries).toEqual(["registry.terraform.io", "registry.opentofu.org"]);
    expect(end?.sources.filter((source) => source.error !== null)).toEqual([]);
  });
});

describe("admin API: a server run with --offline", () => {
  it("refuses refreshes, never looks an address up, and starts no background refresh", async () => {
    const h = (harness = await startAdminHarness("catalog-offline", {
      server: { offline: true, catalogRefresh: { firstDelayMs: 20, intervalMs: 60_000 } },
    }));
    h.fixture.clearRequests();
    const refused = await h.client.refreshCatalog().catch((error: unknown) => error);
    expect((refused as AdminApiError).status).toBe(409);
    expect((refused as AdminApiError).message).toMatch(/--offline/);
    const result = await h.client.searchCatalog({ q: "fixture/alpha" });
    expect(result.offline).toBe(true);
    expect(result.lookedUp).toEqual([]);
    const detail = await h.client.catalogProvider("registry.terraform.io", "fixture", "alpha");
    expect(detail.live.status).toBe("offline");
    // Past the background check's first look: still no request upstream.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.fixture.requests).toEqual([]);
  });
});
