import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

const TF = "registry.terraform.io";
const SIZES = `/api/catalog/providers/${TF}/fixture/alpha/sizes`;

describe("admin API: catalog size estimates", () => {
  let harness: AdminHarness;

  beforeAll(async () => {
    // The harness stores alpha 1.1.0 and 2.0.0 for linux_amd64 and darwin_arm64.
    harness = await startAdminHarness("catalog-sizes");
  });

  afterAll(async () => {
    await harness.stop();
  });

  beforeEach(() => {
    harness.fixture.clearRequests();
  });

  const zipSize = (version: string, platform: string): number =>
    harness.fixture.packageOf("fixture", "alpha", version, platform).zip.length;

  it("answers stored and HEAD-estimated sizes with their total through the typed client", async () => {
    const answer = await harness.client.catalogProviderSizes(TF, "fixture", "alpha", {
      versions: ["1.1.0"],
      platforms: ["linux_amd64", "windows_amd64"],
    });
    expect(answer).toEqual({
      sizes: [
        {
          version: "1.1.0",
          platform: "linux_amd64",
          size: zipSize("1.1.0", "linux_amd64"),
          source: "stored",
        },
        {
          version: "1.1.0",
          platform: "windows_amd64",
          size: zipSize("1.1.0", "windows_amd64"),
          source: "head",
        },
      ],
      total: zipSize("1.1.0", "linux_amd64") + zipSize("1.1.0", "windows_amd64"),
      complete: true,
    });
    expect(harness.fixture.requests.filter((request) => request.startsWith("HEAD "))).toHaveLength(1);
  });

  it("answers offline from the cache without a request, and the detail carries the known sizes", async () => {
    const answer = await harness.client.catalogProviderSizes(TF, "fixture", "alpha", {
      versions: ["1.1.0", "1.0.0"],
      platforms: ["windows_amd64"],
      offline: true,
    });
    expect(answer.sizes.map((estimate) => [estimate.version, estimate.source])).toEqual([
      ["1.1.0", "cached"],
      ["1.0.0", "unknown"],
    ]);
    expect(answer.complete).toBe(false);
    const detail = await harness.client.catalogProvider(TF, "fixture", "alpha");
    const v110 = detail.versions.find((version) => version.version === "1.1.0");
    expect(v110?.platforms?.find((platform) => platform.os === "windows")?.size).toBe(
      zipSize("1.1.0", "windows_amd64"),
    );
    expect(harness.fixture.requests.filter((request) => request.startsWith("HEAD "))).toEqual([]);
  });

  it("answers module sizes: stored exactly, otherwise unknown until downloaded, never asking", async () => {
    const report = await harness.larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: ["1.1.0"],
      withDependencies: false,
      platforms: [],
    });
    expect(report.failed).toEqual([]);
    harness.fixture.clearRequests();
    const flat = harness.larder
      .inventory()
      .hosts.flatMap((host) => host.modules)
      .find((module) => module.name === "flat");
    const stored = flat?.versions.find((version) => version.version === "1.1.0")?.size;
    const answer = await harness.client.catalogModuleSizes(TF, "fixture", "flat", "fixture", [
      "1.1.0",
      "1.2.0",
    ]);
    expect(answer).toEqual({
      sizes: [
        { version: "1.1.0", size: stored, source: "stored" },
        { version: "1.2.0", size: null, source: "unknown", reason: "unknown until downloaded" },
      ],
      total: stored,
      complete: false,
    });
    expect(stored).toBeGreaterThan(0);
    expect(harness.fixture.requests).toEqual([]);
  });

  it("answers 400 naming the field for a missing version or a bad platform", async () => {
    const fieldsOf = async (path: string): Promise<unknown> => {
      const response = await harness.api(path);
      expect(response.status).toBe(400);
      return ((await response.json()) as { fields?: unknown }).fields;
    };
    expect(await fieldsOf(`${SIZES}?platform=linux_amd64`)).toEqual([
      expect.objectContaining({ path: "query.version" }),
    ]);
    expect(await fieldsOf(`${SIZES}?version=1.1.0&platform=Linux-AMD64`)).toEqual([
      expect.objectContaining({ path: "query.platform" }),
    ]);
    expect(await fieldsOf(`${SIZES}?version=1.1.0&platform=linux_amd64&offline=maybe`)).toEqual([
      expect.objectContaining({ path: "query.offline" }),
    ]);
    expect(harness.fixture.requests).toEqual([]);
  });
});

describe("admin API: size estimates on a server run with --offline", () => {
  it("answers from stored and cached sizes only, asking no registry even without offline=1", async () => {
    const offline = await startAdminHarness("catalog-sizes-offline", {
      seed: false,
      server: { offline: true },
    });
    try {
      offline.fixture.clearRequests();
      const answer = await offline.client.catalogProviderSizes(TF, "fixture", "alpha", {
        versions: ["1.1.0"],
        platforms: ["windows_amd64"],
      });
      expect(answer.sizes.map((estimate) => [estimate.source, estimate.reason])).toEqual([
        ["unknown", "offline: not stored and not in the cache"],
      ]);
      expect(offline.fixture.requests).toEqual([]);
    } finally {
      await offline.stop();
    }
  });
});
