import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { maxReadmeBytes } from "../../../main/core/module-docs.js";
import type { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { openTofuAppReadme, registryCallerReadme } from "../../fixtures/upstream/module-docs.js";
import { callerFiles, flatFiles } from "../../fixtures/upstream/module-sources.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";

const readmeOf = (files: readonly { name: string; data: Uint8Array }[]): string =>
  new TextDecoder().decode(files.find((file) => file.name === "README.md")?.data);

describe("catalog module detail: README and dependencies", () => {
  let dir: TempDir;
  let fixture: FixtureUpstream;
  let larder: Larder;
  let warnings: string[];

  beforeAll(async () => {
    dir = await makeTempDir("catalog-module-info");
    fixture = await startFixtureUpstream();
    larder = await openTerraformLarder({
      dataDir: join(dir.path, "data"),
      upstreams: new Map([
        [TF, fixture.url],
        [TOFU, fixture.urlFor("opentofu-registry")],
        ["api.opentofu.org", fixture.url],
      ]),
      http: { retries: 0 },
      onUpstreamWarning: (message) => warnings.push(message),
    });
  });
  afterAll(async () => {
    larder.close();
    await fixture.stop();
    await dir.remove();
  });
  beforeEach(() => {
    warnings = [];
    fixture.clearRequests();
  });

  it("shows the registry's README, inputs, outputs and dependencies, decoding nulls", async () => {
    const detail = await larder.catalogs.module(TF, "fixture", "caller", "fixture");
    expect(detail.info).toEqual({ status: "fetched", version: "1.0.0" });
    expect(detail.readme).toEqual({ markdown: registryCallerReadme, truncated: false, source: "registry" });
    expect(detail.dependencies).toEqual({
      modules: [{ name: "flat", source: "fixture/flat/fixture", version: "~> 1.1.0" }],
      providers: [
        {
          name: "alpha",
          namespace: "fixture",
          source: "registry.terraform.io/fixture/alpha",
          version: "~> 1.0",
        },
        // namespace null upstream: read from the source address.
        { name: "beta", namespace: "fixture", source: "fixture/beta", version: null },
      ],
    });
    expect(detail.inputs).toEqual([{ name: "name", description: null, required: true }]);
    expect(detail.outputs).toEqual([{ name: "greeting", description: "The greeting of the flat module" }]);
    expect(warnings).toEqual([expect.stringMatching(/skipped an unreadable entry .*root\.dependencies\.1/)]);
    expect(fixture.requests).toContain("GET /v1/modules/fixture/caller/fixture/1.0.0");
    expect(detail.versions.map((version) => version.version)).toEqual(["1.0.0"]);
  });

  it("shows OpenTofu's docs for registry.opentofu.org, asking api.opentofu.org", async () => {
    const detail = await larder.catalogs.module(TOFU, "fixture", "app", "fixture");
    expect(detail.info).toEqual({ status: "fetched", version: "1.0.0" });
    expect(detail.readme).toEqual({ markdown: openTofuAppReadme, truncated: false, source: "registry" });
    expect(detail.dependencies).toEqual({
      modules: [{ name: "caller", source: "fixture/caller/fixture", version: "1.0.0" }],
      providers: [
        { name: "beta", namespace: "fixture", source: "registry.opentofu.org/fixture/beta", version: null },
      ],
    });
    expect(detail.inputs).toEqual([{ name: "region", description: "Where to deploy", required: true }]);
    expect(detail.outputs).toEqual([{ name: "greeting", description: null }]);
    expect(fixture.requests).toEqual(
      expect.arrayContaining([
        "GET /registry/docs/modules/fixture/app/fixture/v1.0.0/index.json",
        "GET /registry/docs/modules/fixture/app/fixture/v1.0.0/README.md",
      ]),
    );
    // The static registry has no docs endpoint: it is not asked for one.
    expect(fixture.requests.filter((request) => request.includes("/app/fixture/1.0.0"))).toEqual([]);
  });

  it("says unavailable when no source has docs, keeping the rest of the answer", async () => {
    const none = await larder.catalogs.module(TF, "fixture", "flat", "fixture");
    expect(none.info.status).toBe("unavailable");
    expect(none.info.version).toBe("1.2.0");
    expect(none.info.message).toMatch(/registry\.terraform\.io offers no docs for it, and it is not stored/);
    expect([none.readme, none.dependencies, none.inputs, none.outputs]).toEqual([null, null, null, null]);
    expect(none.versions.map((version) => version.version)).toEqual(["1.2.0", "1.1.0", "1.0.0"]);

    fixture.failNext("/v1/modules/fixture/caller/fixture/1.0.0", 500, 1);
    const failed = await larder.catalogs.module(TF, "fixture", "caller", "fixture");
    expect(failed.info.status).toBe("unavailable");
    expect(failed.info.message).toMatch(/could not be fetched: .*500/);
    expect(failed.live).toEqual({ status: "fetched" });
    expect(failed.versions.map((version) => version.version)).toEqual(["1.0.0"]);
  });

  it("cuts a README over the cap and says so", async () => {
    const detail = await larder.catalogs.module(TF, "fixture", "gitrepo", "fixture");
    expect(detail.info.status).toBe("fetched");
    expect(detail.readme?.truncated).toBe(true);
    const bytes = Buffer.byteLength(detail.readme?.markdown ?? "", "utf8");
    expect(bytes).toBeLessThanOrEqual(maxReadmeBytes);
    expect(bytes).toBeGreaterThan(maxReadmeBytes - 64);
    expect(detail.readme?.markdown.startsWith("# gitrepo\n")).toBe(true);
  });

  it("reads a stored version's archive offline, asking no registry", async () => {
    for (const [address, version] of [
      ["fixture/caller/fixture", "1.0.0"],
      ["fixture/flat/fixture", "1.1.0"],
    ] as const) {
      const report = await larder.mirrorModules({
        address,
        versions: [version],
        withDependencies: false,
        platforms: [],
      });
      expect(report.failed).toEqual([]);
    }
    fixture.clearRequests();
    const caller = await larder.catalogs.module(TF, "fixture", "caller", "fixture", { offline: true });
    expect(caller.info).toEqual({
      status: "stored",
      version: "1.0.0",
      message: "Read from the stored archive (offline, so no registry was asked).",
    });
    expect(caller.readme).toEqual({ markdown: readmeOf(callerFiles()), truncated: false, source: "stored" });
    expect(caller.dependencies).toEqual({
      modules: [{ name: "flat", source: "fixture/flat/fixture", version: "~> 1.1.0" }],
      providers: [
        {
          name: "alpha",
          namespace: "fixture",
          source: "registry.terraform.io/fixture/alpha",
          version: "~> 1.0",
        },
      ],
    });
    expect(caller.outputs).toEqual([{ name: "greeting", description: null }]);

    // The root only: flat's modules/helper is neither a call nor an output of the root.
    const flat = await larder.catalogs.module(TF, "fixture", "flat", "fixture", {
      offline: true,
      version: "1.1.0",
    });
    expect(flat.info.status).toBe("stored");
    expect(flat.readme?.markdown).toBe(readmeOf(flatFiles("1.1.0")));
    expect(flat.dependencies).toEqual({ modules: [], providers: [] });
    expect(flat.inputs).toEqual([{ name: "name", description: null, required: false }]);
    expect(flat.outputs).toEqual([{ name: "greeting", description: null }]);

    const missing = await larder.catalogs.module(TF, "fixture", "flat", "fixture", { offline: true });
    expect(missing.info).toMatchObject({ status: "offline", version: "1.2.0" });
    expect(missing.info.message).toMatch(/offline, so no registry was asked, and it is not stored/);
    expect(fixture.requests).toEqual([]);
  });

  it("falls back to the stored archive online when the registry offers no docs", async () => {
    const flat = await larder.catalogs.module(TF, "fixture", "flat", "fixture", { version: "1.1.0" });
    expect(flat.info).toEqual({
      status: "stored",
      version: "1.1.0",
      message: "Read from the stored archive (registry.terraform.io offers no docs for it).",
    });
    expect(flat.readme?.source).toBe("stored");
    expect(fixture.requests).toContain("GET /v1/modules/fixture/flat/fixture/1.1.0");
  });
});
