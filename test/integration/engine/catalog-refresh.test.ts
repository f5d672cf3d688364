// The engine's catalog refresh against the fixture's catalog endpoints, over loopback into real SQLite.
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { Larder } from "../../../main/engine/larder.js";
import type { CatalogRefreshProgress } from "../../../main/engine/catalog/catalog-refresh.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";

let fixture: FixtureUpstream;
let temp: TempDir;
let warnings: string[];
const opened: { close(): void }[] = [];

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});
afterAll(() => fixture.stop());
beforeEach(async () => {
  temp = await makeTempDir("catalog-refresh");
  warnings = [];
});
afterEach(async () => {
  for (const handle of opened.splice(0)) handle.close();
  fixture.configureCatalog({
    syntheticProviders: 0,
    syntheticModules: 0,
    malformedEntry: false,
    malformedPage: null,
    maxPageSize: 100,
  });
  fixture.clearRequests();
  await temp.remove();
});

async function openLarder(upstreams?: Map<string, string>): Promise<Larder> {
  const larder = await Larder.open({
    dataDir: temp.path,
    upstreams:
      upstreams ??
      new Map([
        [TF, fixture.urlFor("terraform-registry")],
        ["api.opentofu.org", fixture.url],
      ]),
    http: { retries: 0 },
    onUpstreamWarning: (message) => warnings.push(message),
  });
  opened.push(larder);
  return larder;
}

/** A second connection to the data directory's database, to look at what the refresh stored. */
function repository(): CatalogRepository {
  const db: Db = openDatabase(join(temp.path, "larder.db"));
  opened.push(db);
  return new CatalogRepository(db);
}

const providerRequests = (): string[] =>
  fixture.requests.filter((request) => request.includes("/terraform-registry/v2/providers"));

describe("larder.refreshCatalog", () => {
  it("stores both registries' providers and modules, then finds the indexes not modified", async () => {
    const larder = await openLarder();
    const progress: CatalogRefreshProgress[] = [];
    const report = await larder.catalogs.refresh({ onProgress: (p) => progress.push(p) });
    expect(report.skipped).toEqual([]);
    expect(report.sources.map((s) => [s.registry, s.kind, s.error, s.notModified])).toEqual([
      [TF, "provider", null, false],
      [TF, "module", null, false],
      [TOFU, "provider", null, false],
      [TOFU, "module", null, false],
    ]);
    expect(report.sources.every((s) => s.entries > 0 && s.pages === 1)).toBe(true);
    expect(progress.filter((p) => p.done)).toHaveLength(4);

    const catalog = repository();
    expect(catalog.entry(TF, "provider", "fixture", "alpha", null)).toMatchObject({
      tier: "official",
      popularity: 2000,
    });
    expect(catalog.entry(TOFU, "provider", "fixture", "alpha", null)?.versions?.length).toBeGreaterThan(0);
    const hits = catalog.search({ text: "alpha", kind: "provider", limit: 10 });
    expect(hits.map((hit) => hit.host).sort()).toEqual([TOFU, TF]);
    expect(catalog.sourceState(TOFU, "module")).toMatchObject({ cursor: null, lastError: null });
    expect(catalog.sourceState(TOFU, "module")?.etag).toMatch(/^".+"$/);

    const again = await larder.catalogs.refresh({ registries: [TOFU] });
    expect(again.sources.map((s) => [s.kind, s.notModified, s.entries])).toEqual([
      ["provider", true, 0],
      ["module", true, 0],
    ]);
    expect(fixture.requests.filter((r) => r.includes("/registry/docs/")).length).toBe(4);
  });

  it("resumes an aborted paging from the saved cursor", async () => {
    fixture.configureCatalog({ syntheticProviders: 25, maxPageSize: 10 });
    const larder = await openLarder();
    const controller = new AbortController();
    const aborted = larder.catalogs.refresh({
      registries: [TF],
      signal: controller.signal,
      onProgress: (p) => {
        if (p.kind === "provider" && !p.done) controller.abort();
      },
    });
    await expect(aborted).rejects.toMatchObject({ code: "interrupted" });
    expect(repository().sourceState(TF, "provider")).toMatchObject({ cursor: "2", finishedAt: null });

    fixture.clearRequests();
    const report = await larder.catalogs.refresh({ registries: [TF] });
    expect(report.sources[0]).toMatchObject({ kind: "provider", resumed: true, pages: 2, entries: 17 });
    expect(providerRequests().map((r) => /page%5Bnumber%5D=(\d+)/.exec(r)?.[1])).toEqual(["2", "3"]);
    const catalog = repository();
    expect(catalog.entry(TF, "provider", "synthetic", "p00001", null)).toBeDefined();
    expect(catalog.entry(TF, "provider", "synthetic", "p00025", null)).toBeDefined();
    expect(catalog.sourceState(TF, "provider")).toMatchObject({ cursor: null, lastError: null });
  });

  it("removes entries a complete listing no longer has, but not after a skipped page", async () => {
    fixture.configureCatalog({ syntheticProviders: 25, syntheticModules: 3, maxPageSize: 10 });
    const larder = await openLarder();
    await larder.catalogs.refresh();
    const catalog = repository();
    expect(catalog.entry(TOFU, "module", "synthetic", "m00001", "aws")).toBeDefined();

    // Page 2 unreadable: the rest is kept, and nothing is removed since the listing was not seen whole.
    fixture.configureCatalog({ syntheticProviders: 15, malformedPage: 2 });
    const broken = await larder.catalogs.refresh({ registries: [TF] });
    expect(broken.sources[0]).toMatchObject({ kind: "provider", pages: 1, removed: 0, error: null });
    expect(warnings.some((w) => /skipped page 2 of the provider list/.test(w))).toBe(true);
    expect(catalog.entry(TF, "provider", "synthetic", "p00025", null)).toBeDefined();

    fixture.configureCatalog({ syntheticModules: 0, malformedPage: null });
    const report = await larder.catalogs.refresh();
    const byKind = (registry: string, kind: string) =>
      report.sources.find((s) => s.registry === registry && s.kind === kind);
    expect(byKind(TF, "provider")).toMatchObject({ pages: 2, removed: 10 });
    expect(byKind(TOFU, "module")?.removed).toBe(3);
    expect(catalog.entry(TOFU, "module", "synthetic", "m00001", "aws")).toBeUndefined();
    expect(catalog.entry(TF, "provider", "synthetic", "p00025", null)).toBeUndefined();
    expect(catalog.entry(TF, "provider", "synthetic", "p00015", null)).toBeDefined();
  });

  it("fails only the rate-limited source and records why", async () => {
    const larder = await openLarder();
    fixture.rateLimitNext("/registry/docs/providers", 4, 0);
    const report = await larder.catalogs.refresh();
    const failed = report.sources.filter((s) => s.error !== null);
    expect(failed.map((s) => [s.registry, s.kind])).toEqual([[TOFU, "provider"]]);
    expect(failed[0]?.error).toMatch(/api\.opentofu\.org is rate-limiting catalog requests/);
    const catalog = repository();
    expect(catalog.sourceState(TOFU, "provider")?.lastError).toMatch(/HTTP 429 after 4 attempts/);
    expect(catalog.sourceState(TOFU, "provider")?.finishedAt).toBeNull();
    const tofuModules = catalog.search({ text: "", hosts: [TOFU], kind: "module", limit: 5 });
    expect(tofuModules.length).toBeGreaterThan(0);
    expect(report.sources.filter((s) => s.error === null).every((s) => s.entries > 0)).toBe(true);
  });

  it("says a private registry has no catalog, without failing the others", async () => {
    const larder = await openLarder();
    const report = await larder.catalogs.refresh({
      registries: ["Registry.Example.com", "api.opentofu.org"],
    });
    expect(report.skipped).toEqual([
      { registry: "registry.example.com", reason: expect.stringMatching(/has no catalog to list/) as string },
    ]);
    expect(report.sources.map((s) => s.registry)).toEqual([TOFU, TOFU]);
  });
});

describe("catalog staleness", () => {
  const hour = 3_600_000;

  it("is stale until every public source finished, and again after catalogRefreshHours", async () => {
    const larder = await openLarder();
    expect(larder.catalogs.isStale()).toBe(true);
    await larder.catalogs.refresh({ registries: [TF] });
    expect(larder.catalogs.isStale()).toBe(true);
    await larder.catalogs.refresh({ registries: [TOFU] });
    expect(larder.catalogs.isStale()).toBe(false);
    expect(larder.catalogs.isStale(new Date(Date.now() + 25 * hour))).toBe(true);
    larder.settings.set("catalogRefreshHours", 48);
    expect(larder.catalogs.isStale(new Date(Date.now() + 25 * hour))).toBe(false);
  });

  it("refreshes in the background when stale, and reports failures as warnings", async () => {
    const larder = await openLarder();
    const stop = larder.catalogs.startBackgroundRefresh({ firstDelayMs: 10, intervalMs: 50 });
    try {
      await expect.poll(() => larder.catalogs.isStale(), { timeout: 10_000 }).toBe(false);
    } finally {
      stop();
    }
    larder.close();
    opened.length = 0;

    await temp.remove();
    temp = await makeTempDir("catalog-background");
    const dead = new Map([
      [TF, "http://127.0.0.1:1"],
      ["api.opentofu.org", "http://127.0.0.1:1"],
    ]);
    const offline = await openLarder(dead);
    const stopOffline = offline.catalogs.startBackgroundRefresh({ firstDelayMs: 10, intervalMs: 50 });
    try {
      await expect
        .poll(() => warnings.filter((w) => w.startsWith("Catalog refresh of")).length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(4);
    } finally {
      stopOffline();
    }
  });

  it("does nothing in the background when catalogRefreshHours is 0", async () => {
    const larder = await openLarder();
    larder.settings.set("catalogRefreshHours", 0);
    const stop = larder.catalogs.startBackgroundRefresh({ firstDelayMs: 5, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(fixture.requests).toEqual([]);
    expect(larder.catalogs.isStale()).toBe(true);
  });
});
