import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { AdminApiError } from "../../../shared/api-client.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

describe("admin API: catalog", () => {
  let harness: AdminHarness;
  let db: Db;

  beforeAll(async () => {
    harness = await startAdminHarness("catalog");
    // Fills the cache as a refresh would, without depending on one.
    db = openDatabase(join(harness.dataDir, "larder.db"));
    new CatalogRepository(db).upsertEntries(
      [
        {
          host: "registry.terraform.io",
          kind: "provider",
          namespace: "fixture",
          name: "alpha",
          system: null,
          description: "Alpha",
          tier: "partner",
          verified: false,
          popularity: 3,
          source: null,
          latestVersion: "2.0.0",
          versions: null,
        },
      ],
      "2026-01-01T00:00:00Z",
    );
  });

  afterAll(async () => {
    db.close();
    await harness.stop();
  });

  it("searches, marking what is stored, through the typed client", async () => {
    const result = await harness.client.searchCatalog({ q: "alpha", offline: true, kind: "provider" });
    expect(result.offline).toBe(true);
    expect(result.results.map((hit) => [hit.address, hit.stored, hit.tier])).toEqual([
      ["fixture/alpha", "stored", "partner"],
    ]);
    expect(result.refreshedAt["registry.terraform.io"]).toBeNull();
  });

  it("looks an address up when not told offline", async () => {
    harness.fixture.clearRequests();
    const result = await harness.client.searchCatalog({
      q: "registry.opentofu.org/fixture/beta",
      registry: ["registry.opentofu.org"],
    });
    expect(result.lookedUp.map((lookup) => lookup.outcome)).toEqual(["found"]);
    expect(result.results.map((hit) => [hit.host, hit.stored])).toEqual([
      ["registry.opentofu.org", "stored"],
    ]);
    expect(harness.fixture.requests.length).toBeGreaterThan(0);
  });

  it("details a provider and a module", async () => {
    const provider = await harness.client.catalogProvider("registry.terraform.io", "fixture", "alpha", {
      constraint: "~> 1.0",
    });
    const v110 = provider.versions.find((version) => version.version === "1.1.0");
    expect(v110?.matches).toBe(true);
    expect(v110?.stored).toEqual(expect.arrayContaining(["linux_amd64", "darwin_arm64"]));
    const module = await harness.client.catalogModule("registry.terraform.io", "fixture", "flat", "fixture");
    expect(module.versions.map((version) => version.version)).toContain("1.2.0");
  });

  it("details one module version's README and dependencies; offline asks no registry", async () => {
    const caller = await harness.client.catalogModule(
      "registry.terraform.io",
      "fixture",
      "caller",
      "fixture",
      {
        version: "1.0.0",
      },
    );
    expect(caller.info).toEqual({ status: "fetched", version: "1.0.0" });
    expect(caller.readme).toMatchObject({ source: "registry", truncated: false });
    expect(caller.dependencies?.modules).toEqual([
      { name: "flat", source: "fixture/flat/fixture", version: "~> 1.1.0" },
    ]);
    harness.fixture.clearRequests();
    const offline = await harness.client.catalogModule(
      "registry.terraform.io",
      "fixture",
      "caller",
      "fixture",
      {
        offline: true,
      },
    );
    expect(offline.info).toMatchObject({ status: "offline", version: "1.0.0" });
    expect(offline.readme).toBeNull();
    expect(harness.fixture.requests).toEqual([]);
    const bad = await harness.api(
      "/api/catalog/modules/registry.terraform.io/fixture/caller/fixture?version=latest",
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields?: unknown }).fields).toEqual([
      expect.objectContaining({ path: "query.version" }),
    ]);
  });

  it("answers 400 with the field for bad input", async () => {
    const fieldsOf = async (path: string): Promise<unknown> =>
      ((await (await harness.api(path)).json()) as { fields?: unknown }).fields;
    expect(await fieldsOf("/api/catalog/search?q=a&kind=plugin")).toEqual([
      expect.objectContaining({ path: "query.kind" }),
    ]);
    expect(await fieldsOf("/api/catalog/search?q=a&limit=0")).toEqual([
      expect.objectContaining({ path: "query.limit" }),
    ]);
    const bad = await harness.api(
      `/api/catalog/providers/registry.terraform.io/fixture/alpha?constraint=${encodeURIComponent("=> 1")}`,
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields?: unknown }).fields).toEqual([
      expect.objectContaining({ path: "query.constraint" }),
    ]);
  });

  it("answers 404 for an address nobody knows", async () => {
    const error = await harness.client
      .catalogModule("registry.terraform.io", "fixture", "nothing", "fixture")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect((error as AdminApiError).status).toBe(404);
  });
});
