import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../main/core/catalog.js";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import type { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TF = "registry.terraform.io";
const PRIVATE = "registry.example.com";

function provider(name: string, fields: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    host: TF,
    kind: "provider",
    namespace: "fixture",
    name,
    system: null,
    description: `The ${name} provider`,
    tier: "community",
    verified: false,
    popularity: 10,
    source: null,
    latestVersion: "2.0.0",
    versions: null,
    ...fields,
  };
}

describe("catalog search and detail", () => {
  let dir: TempDir;
  let fixture: FixtureUpstream;
  let larder: Larder;
  let db: Db;
  let cache: CatalogRepository;

  beforeAll(async () => {
    dir = await makeTempDir("catalog-search");
    fixture = await startFixtureUpstream();
    const dataDir = join(dir.path, "data");
    larder = await openTerraformLarder({
      dataDir,
      upstreams: new Map([
        [TF, fixture.url],
        [PRIVATE, fixture.url],
      ]),
    });
    // Fills the cache as a refresh would, without depending on one.
    db = openDatabase(join(dataDir, "larder.db"));
    cache = new CatalogRepository(db);
    cache.upsertEntries(
      [
        provider("alpha", {
          popularity: 5,
          versions: [
            { version: "2.0.0", publishedAt: "2026-01-02T00:00:00Z" },
            { version: "1.1.0", publishedAt: "2025-06-01T00:00:00Z" },
          ],
        }),
        provider("alphabet", { popularity: 1000 }),
        provider("beta", { latestVersion: "0.4.0", description: "talks about alpha" }),
      ],
      "2026-01-03T00:00:00Z",
    );
    cache.saveSourceState({
      host: TF,
      kind: "provider",
      startedAt: "2026-01-03T00:00:00Z",
      finishedAt: "2026-01-03T00:05:00Z",
      etag: null,
      cursor: null,
      lastError: null,
    });
    const report = await larder.mirrorProviders({
      address: "fixture/alpha",
      versions: ["1.1.0"],
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
  });

  afterAll(async () => {
    db.close();
    larder.close();
    await fixture.stop();
    await dir.remove();
  });

  beforeEach(() => {
    fixture.clearRequests();
  });

  it("keeps the cache's ranking and marks what is stored", async () => {
    const result = await larder.catalogs.search({ text: "alpha", offline: true });
    expect(result.results.map((hit) => [hit.name, hit.match, hit.stored])).toEqual([
      ["alpha", "exact", "partly"],
      ["alphabet", "prefix", "not-stored"],
      ["beta", "text", "not-stored"],
    ]);
    expect(result.offline).toBe(true);
    expect(result.refreshedAt).toEqual({ [TF]: "2026-01-03T00:05:00Z" });
    expect(result.lookedUp).toEqual([]);
  });

  it("marks an entry stored when its latest version is", async () => {
    cache.upsertEntries([provider("alpha", { latestVersion: "1.1.0" })], "2026-01-03T00:00:00Z");
    try {
      const result = await larder.catalogs.search({ text: "fixture/alpha", offline: true, limit: 1 });
      expect(result.results.map((hit) => hit.stored)).toEqual(["stored"]);
    } finally {
      cache.upsertEntries([provider("alpha", { popularity: 5 })], "2026-01-03T00:00:00Z");
    }
  });

  it("answers offline from the cache alone, without a request", async () => {
    const result = await larder.catalogs.search({ text: `${PRIVATE}/fixture/beta`, offline: true });
    expect(result.results).toEqual([]);
    expect(fixture.requests).toEqual([]);
  });

  it("looks an address of a private registry up live and remembers it", async () => {
    const result = await larder.catalogs.search({ text: `${PRIVATE}/fixture/beta` });
    expect(result.lookedUp).toEqual([
      { host: PRIVATE, kind: "provider", address: "fixture/beta", outcome: "found" },
    ]);
    expect(result.results.map((hit) => [hit.host, hit.address, hit.latestVersion])).toEqual([
      [PRIVATE, "fixture/beta", "0.4.0"],
    ]);
    // The default host is always shown, so a person sees that a catalog was never refreshed.
    expect(result.refreshedAt).toEqual({ [TF]: "2026-01-03T00:05:00Z", [PRIVATE]: null });
    fixture.clearRequests();
    const later = await larder.catalogs.search({ text: "beta", registries: [PRIVATE], offline: true });
    expect(later.results.map((hit) => hit.address)).toEqual(["fixture/beta"]);
    expect(fixture.requests).toEqual([]);
  });

  it("reports an unknown address without failing the search", async () => {
    const result = await larder.catalogs.search({ text: `${PRIVATE}/fixture/nothing` });
    expect(result.lookedUp).toEqual([
      { host: PRIVATE, kind: "provider", address: "fixture/nothing", outcome: "not-found" },
    ]);
    expect(result.results).toEqual([]);
  });

  it("looks a module address up on the default host", async () => {
    const result = await larder.catalogs.search({ text: "fixture/flat/fixture", kind: "module" });
    expect(result.lookedUp).toEqual([
      { host: TF, kind: "module", address: "fixture/flat/fixture", outcome: "found" },
    ]);
    expect(result.results[0]?.latestVersion).toBe("1.2.0");
  });

  it("refuses a bad limit", async () => {
    await expect(larder.catalogs.search({ text: "a", limit: 0 })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("details a provider: dates, live platforms, stored platforms and constraint matches", async () => {
    const detail = await larder.catalogs.provider(TF, "fixture", "alpha", { constraint: "~> 1.0" });
    expect(detail.live).toEqual({ status: "fetched" });
    expect(detail.entry?.description).toBe("The alpha provider");
    const byVersion = new Map(detail.versions.map((version) => [version.version, version]));
    expect([...byVersion.keys()]).toEqual(["2.1.0-beta1", "2.0.0", "1.1.0", "1.0.0"]);
    expect(byVersion.get("1.1.0")).toMatchObject({
      publishedAt: "2025-06-01T00:00:00Z",
      stored: ["linux_amd64"],
      matches: true,
    });
    expect(byVersion.get("2.0.0")).toMatchObject({ stored: [], matches: false });
    expect(byVersion.get("1.1.0")?.protocols?.length).toBeGreaterThan(0);
    // A stored platform's size is its archive's; one neither stored nor estimated yet is null.
    const stored = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip.length;
    expect(byVersion.get("1.1.0")?.platforms).toContainEqual({ os: "linux", arch: "amd64", size: stored });
    expect(byVersion.get("1.1.0")?.platforms).toContainEqual({ os: "darwin", arch: "arm64", size: null });
  });

  it("details a provider offline from the cache and the inventory", async () => {
    const detail = await larder.catalogs.provider(TF, "fixture", "alpha", { offline: true });
    expect(detail.live).toEqual({ status: "offline" });
    expect(detail.versions.find((version) => version.version === "1.1.0")).toMatchObject({
      platforms: null,
      matches: null,
    });
    expect(fixture.requests).toEqual([]);
  });

  it("details a module with its versions", async () => {
    const detail = await larder.catalogs.module(TF, "fixture", "flat", "fixture", { constraint: ">= 1.1.0" });
    expect(detail.versions.filter((version) => version.matches).map((version) => version.version)).toEqual(
      expect.arrayContaining(["1.2.0", "1.1.0"]),
    );
    expect(detail.versions.find((version) => version.version === "1.0.0")).toMatchObject({
      matches: false,
      stored: false,
    });
  });

  it("refuses a bad constraint and names where it looked for an unknown address", async () => {
    await expect(
      larder.catalogs.provider(TF, "fixture", "alpha", { constraint: "=> 1" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    await expect(larder.catalogs.provider(PRIVATE, "fixture", "nothing", {})).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("registry.example.com does not have it") as unknown,
    });
    await expect(
      larder.catalogs.module(TF, "fixture", "nothing", "fixture", { offline: true }),
    ).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("offline") as unknown });
  });
});
