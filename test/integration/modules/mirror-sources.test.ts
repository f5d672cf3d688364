import { stat } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import {
  expectedTree,
  openModuleLarder,
  sha256OfFile,
  sourceRequests,
  storedRecord,
  unpackTarGz,
} from "./module-support.js";

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";

// Every source kind the fixture publishes, with the route that proves which fetcher was used.
const SOURCES = [
  {
    what: "a zip archive",
    name: "flat",
    version: "1.0.0",
    kind: "archive",
    route: "/archives/flat-1.0.0.zip",
  },
  {
    what: "a tar.gz archive",
    name: "flat",
    version: "1.1.0",
    kind: "archive",
    route: "/archives/flat-1.1.0.tar.gz",
  },
  {
    what: "an ?archive= location",
    name: "flat",
    version: "1.2.0",
    kind: "archive",
    route: "/archives/flat-1.2.0",
  },
  { what: "a git:: GitHub URL", name: "github", version: "2.0.0", kind: "github", route: "/github/" },
  { what: "a GitHub //subdir", name: "github", version: "2.1.0", kind: "github", route: "/github/" },
  { what: "git over dumb HTTP", name: "gitrepo", version: "3.0.0", kind: "git", route: "/git/gitrepo.git/" },
] as const;

let fixture: FixtureUpstream;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

describe("mirrorModules stores every source kind as Larder's own tar.gz", () => {
  let temp: TempDir;
  let larder: Larder;

  beforeAll(async () => {
    temp = await makeTempDir("modules-sources");
    larder = await openModuleLarder(fixture, temp.path);
  });

  afterAll(async () => {
    larder.close();
    await temp.remove();
  });

  it.each(SOURCES)("$what: fixture/$name/fixture $version", async ({ name, version, kind, route }) => {
    fixture.clearRequests();
    const report = await larder.mirrorModules({
      address: `fixture/${name}/fixture`,
      versions: [version],
      withDependencies: false,
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
    expect(report.stored).toEqual([
      { address: { host: TF, namespace: "fixture", name, system: "fixture" }, version },
    ]);
    expect(sourceRequests(fixture).some((request) => request.startsWith(`GET ${route}`))).toBe(true);

    const record = storedRecord(larder, TF, "fixture", name, version);
    expect(record.sourceKind).toBe(kind);
    expect(record.subdir).toBe(fixture.moduleSubdirOf("fixture", name, "fixture", version));
    expect(record.upstreamLocation).toBe(fixture.moduleLocationOf("fixture", name, "fixture", version));
    const blob = larder.store.pathOf(record.archiveBlob);
    expect(await sha256OfFile(blob)).toBe(record.archiveBlob);
    expect((await stat(blob)).size).toBe(record.size);

    const unpacked = await unpackTarGz(blob);
    expect(unpacked.tree).toEqual(expectedTree(fixture, "fixture", name, version));
    expect(unpacked.directories.filter((dir) => dir.split("/").includes(".git"))).toEqual([]);
    for (const entry of unpacked.listing) expect(entry).not.toMatch(/^\/|(^|\/)\.\.(\/|$)/);
  });

  it("records modules/sub for the GitHub //subdir location and nothing for the others", () => {
    const subdirs = larder
      .moduleInventory()
      .map((entry) => `${entry.name} ${entry.version} "${entry.subdir}"`);
    expect(subdirs.sort()).toEqual([
      'flat 1.0.0 ""',
      'flat 1.1.0 ""',
      'flat 1.2.0 ""',
      'github 2.0.0 ""',
      'github 2.1.0 "modules/sub"',
      'gitrepo 3.0.0 ""',
    ]);
  });
});

describe("mirrorModules on a fresh data directory", () => {
  let temp: TempDir;
  let larder: Larder;

  beforeEach(async () => {
    temp = await makeTempDir("modules-engine");
    larder = await openModuleLarder(fixture, temp.path);
    fixture.clearRequests();
  });

  afterEach(async () => {
    larder.close();
    await temp.remove();
  });

  it("skips a version mirrored before without downloading anything again", async () => {
    for (const [name, version] of [
      ["flat", "1.1.0"],
      ["gitrepo", "3.0.0"],
    ] as const) {
      const request = {
        address: `fixture/${name}/fixture`,
        versions: [version],
        withDependencies: false,
        platforms: [],
      };
      expect((await larder.mirrorModules(request)).stored).toHaveLength(1);
      const before = larder.moduleInventory();
      fixture.clearRequests();
      const again = await larder.mirrorModules(request);
      expect(again.stored).toEqual([]);
      expect(again.failed).toEqual([]);
      expect(again.skipped.map((ref) => `${ref.address.name} ${ref.version}`)).toEqual([
        `${name} ${version}`,
      ]);
      expect(sourceRequests(fixture)).toEqual([]);
      expect(fixture.requests.filter((line) => line.includes("/download"))).toEqual([]);
      expect(larder.moduleInventory()).toEqual(before);
    }
    // A range re-run may ask for the version list, but still downloads nothing.
    fixture.clearRequests();
    const ranged = await larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: ["~> 1.1.0"],
      withDependencies: false,
      platforms: [],
    });
    expect(ranged.skipped.map((ref) => ref.version)).toEqual(["1.1.0"]);
    expect(sourceRequests(fixture)).toEqual([]);
  });

  it("without dependencies stores only the module itself", async () => {
    const report = await larder.mirrorModules({
      address: "fixture/caller/fixture",
      versions: ["1.0.0"],
      withDependencies: false,
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
    expect(report.providers).toEqual([]);
    expect(larder.moduleInventory().map((entry) => `${entry.name} ${entry.version}`)).toEqual([
      "caller 1.0.0",
    ]);
    expect(larder.providerInventory()).toEqual([]);
    expect(fixture.requests.filter((line) => /\/flat\/|\/providers\//.test(line))).toEqual([]);
  });

  it("with dependencies stores the called module on the parent's host and the required provider for the platform", async () => {
    const report = await larder.mirrorModules({
      address: "fixture/caller/fixture",
      versions: [],
      withDependencies: true,
      platforms: ["darwin_arm64"],
    });
    expect(report.failed).toEqual([]);
    expect(report.providers.flatMap((entry) => entry.failed)).toEqual([]);
    const modules = larder
      .moduleInventory()
      .map((entry) => `${entry.host}/${entry.namespace}/${entry.name} ${entry.version}`);
    // ~> 1.1.0 picks 1.1.0, not the newer 1.2.0.
    expect(modules.sort()).toEqual([`${TF}/fixture/caller 1.0.0`, `${TF}/fixture/flat 1.1.0`]);
    const flat = storedRecord(larder, TF, "fixture", "flat", "1.1.0");
    expect((await unpackTarGz(larder.store.pathOf(flat.archiveBlob))).tree).toEqual(
      expectedTree(fixture, "fixture", "flat", "1.1.0"),
    );
    expect(
      larder
        .providerInventory()
        .map(
          (entry) =>
            `${entry.host}/${entry.namespace}/${entry.type} ${entry.version} ${entry.platforms.join(",")}`,
        ),
    ).toEqual([`${TF}/fixture/alpha 1.1.0 darwin_arm64`]);
  });

  it.each([
    { clients: ["terraform", "tofu"] as const, nested: [TF, TOFU] },
    { clients: ["tofu"] as const, nested: [TOFU] },
    { clients: ["terraform"] as const, nested: [TF] },
  ])(
    "host-less nested calls follow each client's default host, not the calling module's: $clients",
    async ({ clients, nested }) => {
      // The caller comes from registry.opentofu.org, and tofu reads its `fixture/flat/fixture` as
      // registry.opentofu.org, terraform as registry.terraform.io: the parent's host plays no part.
      const report = await larder.mirrorModules({
        address: `${TOFU}/fixture/caller/fixture`,
        versions: ["1.0.0"],
        withDependencies: true,
        platforms: ["linux_amd64"],
        clients: [...clients],
      });
      expect(report.failed).toEqual([]);
      const modules = larder
        .moduleInventory()
        .map((entry) => `${entry.host}/${entry.namespace}/${entry.name} ${entry.version}`);
      expect(modules.sort()).toEqual(
        [`${TOFU}/fixture/caller 1.0.0`, ...nested.map((host) => `${host}/fixture/flat 1.1.0`)].sort(),
      );
      // The provider source names its host explicitly, so it stays on registry.terraform.io for every client.
      expect(
        larder
          .providerInventory()
          .map((entry) => `${entry.host}/${entry.namespace}/${entry.type} ${entry.version}`),
      ).toEqual([`${TF}/fixture/alpha 1.1.0`]);
    },
  );

  it("every version matching the constraints with allVersions", async () => {
    const report = await larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: [">= 1.0.0"],
      allVersions: true,
      withDependencies: false,
      platforms: [],
    });
    expect(report.failed).toEqual([]);
    expect(report.stored.map((ref) => ref.version).sort()).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
  });
});
