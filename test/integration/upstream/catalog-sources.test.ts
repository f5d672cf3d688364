import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../main/core/catalog.js";
import { UpstreamHttpClient } from "../../../main/upstream/http-client.js";
import type { CatalogPage, CatalogSourceOptions } from "../../../main/upstream/catalog/catalog-fetch.js";
import { OpenTofuCatalogClient } from "../../../main/upstream/catalog/opentofu-catalog-client.js";
import { TerraformCatalogClient } from "../../../main/upstream/catalog/terraform-catalog-client.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";

const http = new UpstreamHttpClient({ userAgent: "larder-test", retries: 0 });

async function collect(pages: AsyncGenerator<CatalogPage>): Promise<CatalogPage[]> {
  const all: CatalogPage[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

const entriesOf = (pages: readonly CatalogPage[]): CatalogEntry[] =>
  pages.flatMap((page) => (page.kind === "entries" ? page.entries : []));

describe("catalog sources against the fixture registry", () => {
  let fixture: FixtureUpstream;
  let warnings: string[];
  let slept: number[];
  let options: CatalogSourceOptions;
  const terraform = (): TerraformCatalogClient => new TerraformCatalogClient(http, options);
  const tofu = (): OpenTofuCatalogClient => new OpenTofuCatalogClient(http, options);

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
  });
  afterAll(() => fixture.stop());
  afterEach(() => {
    fixture.configureCatalog({
      syntheticProviders: 0,
      syntheticModules: 0,
      malformedEntry: false,
      malformedPage: null,
      malformedFrom: null,
      moduleIndexShape: "versions",
    });
    fixture.clearRequests();
  });

  /** Fresh sinks for this test, with both API hosts pointed at a closed port until point() aims them. */
  function resetSinks(): void {
    warnings = [];
    slept = [];
    options = {
      upstreams: new Map([
        ["registry.terraform.io", "http://127.0.0.1:1"],
        ["api.opentofu.org", "http://127.0.0.1:1"],
      ]),
      warn: (message) => warnings.push(message),
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    };
  }
  const point = (): void => {
    resetSinks();
    options = {
      ...options,
      upstreams: new Map([
        ["registry.terraform.io", fixture.urlFor("terraform-registry")],
        ["api.opentofu.org", fixture.url],
      ]),
    };
  };

  it("pages through every provider, decoding nulls and ignoring unknown members", async () => {
    point();
    fixture.configureCatalog({ syntheticProviders: 25 });
    const pages = await collect(terraform().providers({ pageSize: 10 }));
    expect(pages.map((page) => [page.cursor, page.kind === "entries" ? page.next : "304"])).toEqual([
      [1, 2],
      [2, 3],
      [3, null],
    ]);
    const entries = entriesOf(pages);
    expect(entries).toHaveLength(27);
    expect(entries[0]).toEqual({
      host: "registry.terraform.io",
      kind: "provider",
      namespace: "fixture",
      name: "alpha",
      system: null,
      description: "The alpha provider of the fixture",
      tier: "official",
      verified: false,
      popularity: 2000,
      source: "https://github.com/fixture/terraform-provider-alpha",
      latestVersion: null,
      versions: null,
    });
    // fixture/beta is served with null description and source.
    expect(entries[1]).toMatchObject({ name: "beta", description: "", source: null, tier: "community" });
    expect(fixture.requests.every((request) => request.includes("/terraform-registry/v2/providers"))).toBe(
      true,
    );
    expect(warnings).toEqual([]);
  });

  it("resumes from a cursor and filters by namespace and tier", async () => {
    point();
    fixture.configureCatalog({ syntheticProviders: 25 });
    const resumed = await collect(terraform().providers({ pageSize: 10, from: 3 }));
    expect(resumed.map((page) => page.cursor)).toEqual([3]);
    expect(entriesOf(resumed).map((entry) => entry.name)).toEqual(
      Array.from({ length: 7 }, (_, i) => `p000${String(19 + i).padStart(2, "0")}`),
    );
    const official = entriesOf(await collect(terraform().providers({ tiers: ["official"] })));
    expect(official.map((entry) => entry.name)).toEqual(["alpha"]);
    const fixtureOnly = entriesOf(await collect(terraform().providers({ namespace: "fixture" })));
    expect(fixtureOnly.map((entry) => entry.name)).toEqual(["alpha", "beta"]);
  });

  it("skips a malformed entry and a malformed page with warnings, keeping the rest", async () => {
    point();
    fixture.configureCatalog({ syntheticProviders: 25, malformedEntry: true, malformedPage: 2 });
    const pages = await collect(terraform().providers({ pageSize: 10 }));
    expect(pages.map((page) => page.cursor)).toEqual([1, 3]);
    expect(entriesOf(pages)).toHaveLength(17);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /skipped an unreadable entry in the provider list \(data\.1\.attributes\.name/,
    );
    expect(warnings[1]).toMatch(
      /skipped page 2 of the provider list of registry\.terraform\.io .*not valid JSON/,
    );
  });

  it("fetches a provider's versions with their dates, newest first", async () => {
    point();
    const alpha = await terraform().provider("fixture", "alpha");
    expect(alpha?.latestVersion).toBe("2.0.0");
    expect(alpha?.versions?.map((v) => v.version)).toEqual(["2.1.0-beta1", "2.0.0", "1.1.0", "1.0.0"]);
    expect(alpha?.versions?.[3]?.publishedAt).toBe("2024-01-01T00:00:00.000Z");
    expect(await terraform().provider("fixture", "nope")).toBeUndefined();
  });

  it("pages modules by offset, skipping a broken entry and a broken page, and searches them", async () => {
    point();
    fixture.configureCatalog({ syntheticModules: 12, malformedEntry: true });
    const pages = await collect(terraform().modules({ pageSize: 5 }));
    expect(pages.map((page) => page.cursor)).toEqual([0, 5, 10, 15]);
    const modules = entriesOf(pages);
    expect(modules).toHaveLength(17);
    expect(modules[0]).toMatchObject({
      kind: "module",
      namespace: "fixture",
      system: "fixture",
      verified: true,
    });
    expect(modules[0]?.latestVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(modules[1]).toMatchObject({ description: "", source: null, verified: false });
    expect(warnings).toEqual([expect.stringMatching(/unreadable entry in the module list \(modules\.1\./)]);

    warnings.length = 0;
    fixture.configureCatalog({ malformedEntry: false, malformedPage: 2 });
    const skipped = await collect(terraform().modules({ pageSize: 5 }));
    expect(skipped.map((page) => page.cursor)).toEqual([0, 10, 15]);
    expect(warnings).toEqual([expect.stringMatching(/skipped page 5 of the module list/)]);

    fixture.configureCatalog({ malformedPage: null });
    const found = entriesOf(await collect(terraform().searchModules("m0001", { pageSize: 2 })));
    expect(found.map((entry) => entry.name)).toEqual(["m00010", "m00011", "m00012"]);
  });

  it("stops after 3 unreadable pages in a row, keeping the pages before them", async () => {
    point();
    // Offsets have no last page the reader could know of: without the stop it would walk a broken tail forever.
    fixture.configureCatalog({ syntheticModules: 40, malformedFrom: 3 });
    const pages = await collect(terraform().modules({ pageSize: 5 }));
    expect(pages.map((page) => page.cursor)).toEqual([0, 5]);
    expect(entriesOf(pages)).toHaveLength(10);
    expect(warnings).toEqual([
      expect.stringMatching(/skipped page 10 of the module list/),
      expect.stringMatching(/skipped page 15 of the module list/),
      expect.stringMatching(/skipped page 20 of the module list/),
      expect.stringMatching(
        /stopped reading the module list after 3 unreadable pages in a row \(the last at .*offset=20.*\); the pages before them are kept/,
      ),
    ]);
    const offsets = fixture.requests.map((request) => /offset=(\d+)/.exec(request)?.[1]);
    expect(offsets).toEqual(["0", "5", "10", "15", "20"]);
  });

  it("waits out 429 Retry-After, then gives up after the bound naming the host", async () => {
    point();
    fixture.rateLimitNext("/terraform-registry/v2/providers", 2, 7);
    expect(entriesOf(await collect(terraform().providers()))).toHaveLength(2);
    expect(slept).toEqual([7000, 7000]);

    fixture.rateLimitNext("/registry/docs/providers", 4, 1);
    await expect(collect(tofu().providers())).rejects.toThrow(
      /api\.opentofu\.org is rate-limiting catalog requests: .* HTTP 429 after 4 attempts/,
    );
    expect(slept).toEqual([7000, 7000, 1000, 1000, 1000]);
  });

  it("sends If-None-Match with the previous ETag and reports not modified", async () => {
    point();
    const [first] = await collect(tofu().providers());
    expect(first?.kind).toBe("entries");
    const etag = first?.kind === "entries" ? first.etag : null;
    expect(etag).toMatch(/^".+"$/);
    const again = await collect(tofu().providers({ ifNoneMatch: etag ?? "" }));
    expect(again).toEqual([{ kind: "not-modified", cursor: 0, etag }]);
    const pages = await collect(terraform().providers({ ifNoneMatch: '"stale"' }));
    expect(pages[0]?.kind).toBe("entries");
  });

  it("reads OpenTofu's provider index with v-less versions and popularity", async () => {
    point();
    fixture.configureCatalog({ malformedEntry: true });
    const providers = entriesOf(await collect(tofu().providers()));
    expect(providers[0]).toMatchObject({
      host: "registry.opentofu.org",
      kind: "provider",
      namespace: "fixture",
      name: "alpha",
      popularity: 2000,
      latestVersion: "2.0.0",
    });
    expect(providers[0]?.versions?.[0]).toEqual({
      version: "2.1.0-beta1",
      publishedAt: "2024-01-04T00:00:00.000Z",
    });
    expect(providers).toHaveLength(2);
    expect(warnings).toEqual([
      expect.stringMatching(/api\.opentofu\.org: skipped an unreadable entry in the provider index/),
    ]);
  });

  it("reads both shapes of OpenTofu's module index", async () => {
    point();
    const older = entriesOf(await collect(tofu().modules()));
    fixture.configureCatalog({ moduleIndexShape: "latest" });
    const newer = entriesOf(await collect(tofu().modules()));
    expect(older.length).toBeGreaterThan(0);
    expect(newer.map((entry) => [entry.name, entry.latestVersion])).toEqual(
      older.map((entry) => [entry.name, entry.latestVersion]),
    );
    expect(older[0]?.versions?.length).toBeGreaterThan(0);
    expect(newer[0]?.versions).toBeNull();
    expect(newer[0]).toMatchObject({ host: "registry.opentofu.org", kind: "module", system: "fixture" });
  });

  it("skips a malformed OpenTofu index with a warning", async () => {
    point();
    fixture.configureCatalog({ malformedPage: 1 });
    expect(await collect(tofu().modules())).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/skipped page 0 of the module index .*not valid JSON/)]);
  });

  it("searches OpenTofu, keeping provider and module rows only", async () => {
    point();
    const found = await tofu().search("fixture");
    expect(found.filter((entry) => entry.kind === "provider").map((entry) => entry.name)).toEqual([
      "alpha",
      "beta",
    ]);
    expect(found.filter((entry) => entry.kind === "module").length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ host: "registry.opentofu.org", latestVersion: "2.1.0-beta1" });
    expect(found.find((entry) => entry.kind === "module")?.system).toBe("fixture");
    await expect(tofu().search("")).rejects.toThrow(/HTTP 400/);
  });

  it("takes its base URLs from the upstream overrides", async () => {
    resetSinks();
    await expect(collect(terraform().providers())).rejects.toThrow(/127\.0\.0\.1:1\/v2\/providers/);
    point();
    await collect(tofu().providers());
    expect(fixture.requests).toEqual(["GET /registry/docs/providers/index.json"]);
  });
});
