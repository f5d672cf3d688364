import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { expectOneLineFailure, storedSummary } from "../cli/cli-support.js";
import { expectNothingImported, fixtureUpstreams, larderOk, readTar } from "./bundle-support.js";

interface ManifestEntry {
  readonly kind: string;
  readonly path: string;
}

/** The manifest of a bundle file and the names of its tar entries. */
async function contentsOf(
  file: string,
): Promise<{ id: string; parent: { id: string } | null; entries: ManifestEntry[]; names: string[] }> {
  const entries = await readTar(file);
  const manifest = entries.find((entry) => entry.name === "manifest.json");
  if (!manifest) throw new Error(`${file} has no manifest`);
  const parsed = JSON.parse(manifest.data.toString("utf8")) as {
    id: string;
    parent: { id: string } | null;
    entries: ManifestEntry[];
  };
  return { ...parsed, names: entries.map((entry) => entry.name) };
}

function pathsOfKind(entries: readonly ManifestEntry[], kind: string): string[] {
  return entries
    .filter((entry) => entry.kind === kind)
    .map((entry) => entry.path)
    .sort();
}

const DIR = "providers/registry.terraform.io/fixture/alpha";

// Each test runs the real CLI several times; a loaded 2-core machine needs more than the default minute.
describe("incremental bundles (--since)", { timeout: 180_000 }, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let first: string;
  let byFile: string;
  let byId: string;
  let firstId: string;

  beforeAll(async () => {
    temp = await makeTempDir("bundle-incremental");
    fixture = await startFixtureUpstream();
    const sending = join(temp.path, "sending");
    const upstreams = fixtureUpstreams(fixture);
    const mirror = (...args: string[]): Promise<string> =>
      larderOk(["mirror", ...args, "--data-dir", sending, ...upstreams]);
    await mirror("provider", "fixture/alpha", "--version", "1.0.0", "--platform", "linux_amd64");
    first = join(temp.path, "first.tar");
    await larderOk(["bundle", "export", first, "--data-dir", sending]);
    firstId = (await contentsOf(first)).id;

    await mirror("provider", "fixture/alpha", "--version", "1.0.0", "--platform", "darwin_arm64");
    await mirror("provider", "fixture/alpha", "--version", "1.1.0", "--platform", "linux_amd64");
    await mirror(
      "module",
      "registry.opentofu.org/fixture/flat/fixture",
      "--version",
      "1.0.0",
      "--no-dependencies",
    );
    byFile = join(temp.path, "second-by-file.tar");
    await larderOk(["bundle", "export", byFile, "--since", first, "--data-dir", sending]);
    byId = join(temp.path, "second-by-id.tar");
    await larderOk(["bundle", "export", byId, "--since", firstId, "--data-dir", sending]);

    const nothingNew = await runLarder([
      "bundle",
      "export",
      join(temp.path, "empty.tar"),
      "--since",
      byFile,
      "--data-dir",
      sending,
    ]);
    expectOneLineFailure(nothingNew, /Nothing to export: everything selected is already in bundle/);
  }, 180_000);

  afterAll(async () => {
    await fixture?.stop();
    await temp.remove();
  });

  it("holds only the packages and modules the earlier bundle lacked, whether named by file or by id", async () => {
    for (const file of [byFile, byId]) {
      const bundle = await contentsOf(file);
      expect(bundle.parent?.id).toBe(firstId);
      expect(pathsOfKind(bundle.entries, "provider-package")).toEqual([
        `${DIR}/terraform-provider-alpha_1.0.0_darwin_arm64.zip`,
        `${DIR}/terraform-provider-alpha_1.1.0_linux_amd64.zip`,
      ]);
      expect(pathsOfKind(bundle.entries, "module-archive")).toEqual([
        "modules/registry.opentofu.org/fixture/flat/fixture/1.0.0.tar.gz",
      ]);
      // The release files travel with new packages so they can be verified offline on their own.
      expect(pathsOfKind(bundle.entries, "provider-shasums")).toEqual([
        `${DIR}/terraform-provider-alpha_1.0.0_SHA256SUMS`,
        `${DIR}/terraform-provider-alpha_1.1.0_SHA256SUMS`,
      ]);
      expect(bundle.names).not.toContain(`${DIR}/terraform-provider-alpha_1.0.0_linux_amd64.zip`);
    }
    await larderOk(["bundle", "verify", byFile]);
  });

  it("is refused without its parent, naming the parent", async () => {
    const dataDir = join(temp.path, "orphan");
    const result = await runLarder(["bundle", "import", byFile, "--allow-unsigned", "--data-dir", dataDir]);
    expectOneLineFailure(
      result,
      new RegExp(`incremental on bundle ${firstId}`),
      new RegExp(`Import bundle ${firstId} first`),
    );
    await expectNothingImported(dataDir);
  });

  it("imports on top of its parent", async () => {
    const dataDir = join(temp.path, "receiving");
    await larderOk(["bundle", "import", first, "--allow-unsigned", "--data-dir", dataDir]);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64"]);
    const output = await larderOk(["bundle", "import", byFile, "--allow-unsigned", "--data-dir", dataDir]);
    expect(output).toMatch(/2 provider package\(s\), 1 module version\(s\) added/);
    expect(await storedSummary(dataDir)).toEqual([
      "fixture/alpha 1.0.0 darwin_arm64,linux_amd64",
      "fixture/alpha 1.1.0 linux_amd64",
    ]);
    const history = JSON.parse(await larderOk(["bundle", "list", "--json", "--data-dir", dataDir])) as {
      bundles: { id: string; direction: string; parentId: string | null; providerPackages: number }[];
    };
    const child = history.bundles.find((record) => record.parentId === firstId);
    expect(child).toMatchObject({ direction: "import", providerPackages: 2 });
    expect(history.bundles.map((record) => record.id)).toContain(firstId);
  });
});
