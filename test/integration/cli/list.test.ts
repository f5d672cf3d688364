import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { listJsonSchema, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
let stocked: string;
const dirs = new TempDirs("cli-list");

/** Bytes of the archives the fixture serves for these platforms of one version. */
function archiveBytes(type: string, version: string, platforms: readonly string[]): number {
  return platforms.reduce(
    (sum, platform) => sum + fixture.packageOf("fixture", type, version, platform).zip.length,
    0,
  );
}

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  stocked = await dirs.make();
  const runs = [
    ["fixture/alpha", "--version", "1.0.0", "--platform", "linux_amd64", "--platform", "darwin_arm64"],
    ["fixture/alpha", "--version", "2.0.0", "--platform", "windows_amd64"],
    ["fixture/beta", "--version", "0.4.0", "--platform", "linux_arm64"],
  ];
  for (const args of runs) {
    const result = await runLarder([
      "mirror",
      "provider",
      ...args,
      "--data-dir",
      stocked,
      ...upstreamArgs(fixture),
    ]);
    if (result.code !== 0) throw new Error(`stocking the mirror failed: ${result.stderr}`);
  }
});

afterAll(async () => {
  await fixture.stop();
  await dirs.removeAll();
});

describe("larder list", () => {
  it("prints a table: header, then one row per stored version with its platforms and size", async () => {
    const result = await runLarder(["list", "--data-dir", stocked]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    // One section per host: its name, then its providers without the host.
    expect(lines[0]).toBe("registry.terraform.io");
    expect(lines[1]).toMatch(/^ {2}PROVIDER\s+VERSION\s+PLATFORMS\s+SIZE\s+SIGNATURE$/);
    const rows = lines.slice(2).map((line) => line.trim().split(/\s{2,}/));
    expect(rows).toHaveLength(3);
    const alphaSize = archiveBytes("alpha", "1.0.0", ["darwin_arm64", "linux_amd64"]);
    expect(alphaSize).toBeLessThan(1024);
    expect(rows).toContainEqual([
      "fixture/alpha",
      "1.0.0",
      "darwin_arm64,linux_amd64",
      `${alphaSize} B`,
      "signed",
    ]);
    expect(rows).toContainEqual([
      "fixture/alpha",
      "2.0.0",
      "windows_amd64",
      `${archiveBytes("alpha", "2.0.0", ["windows_amd64"])} B`,
      "signed",
    ]);
    expect(rows).toContainEqual([
      "fixture/beta",
      "0.4.0",
      "linux_arm64",
      `${archiveBytes("beta", "0.4.0", ["linux_arm64"])} B`,
      "signed",
    ]);
  });

  it("aligns the columns under the header", async () => {
    const result = await runLarder(["list", "--data-dir", stocked]);
    const [, header = "", ...rows] = result.stdout.trimEnd().split("\n");
    const column = header.indexOf("PLATFORMS");
    expect(column).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.slice(column - 2, column)).toBe("  ");
      expect(row[column]).toMatch(/[a-z]/);
    }
  });

  it("--json prints every stored version with host, namespace, type, version, platforms and totalSize", async () => {
    const result = await runLarder(["list", "--json", "--data-dir", stocked]);
    expect(result.code, result.stderr).toBe(0);
    const { providers } = listJsonSchema.parse(JSON.parse(result.stdout));
    const sorted = [...providers].sort((a, b) =>
      `${a.type} ${a.version}`.localeCompare(`${b.type} ${b.version}`),
    );
    expect(sorted).toEqual([
      {
        host: "registry.terraform.io",
        namespace: "fixture",
        type: "alpha",
        version: "1.0.0",
        platforms: ["darwin_arm64", "linux_amd64"],
        signed: true,
        totalSize: archiveBytes("alpha", "1.0.0", ["darwin_arm64", "linux_amd64"]),
      },
      {
        host: "registry.terraform.io",
        namespace: "fixture",
        type: "alpha",
        version: "2.0.0",
        platforms: ["windows_amd64"],
        signed: true,
        totalSize: archiveBytes("alpha", "2.0.0", ["windows_amd64"]),
      },
      {
        host: "registry.terraform.io",
        namespace: "fixture",
        type: "beta",
        version: "0.4.0",
        platforms: ["linux_arm64"],
        signed: true,
        totalSize: archiveBytes("beta", "0.4.0", ["linux_arm64"]),
      },
    ]);
  });

  it("reads LARDER_DATA_DIR when --data-dir is not given", async () => {
    const result = await runLarder(["list", "--json"], { LARDER_DATA_DIR: stocked });
    expect(result.code, result.stderr).toBe(0);
    expect(listJsonSchema.parse(JSON.parse(result.stdout)).providers).toHaveLength(3);
  });

  it("an empty mirror says so, names the data dir and how to stock it, and exits 0", async () => {
    const empty = await dirs.make();
    const result = await runLarder(["list", "--data-dir", empty]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`The mirror at ${empty} is empty.`);
    expect(result.stdout).toMatch(/larder mirror provider /);
    expect(result.stdout).not.toMatch(/PROVIDER/);
  });

  it("an empty mirror with --json prints empty providers and modules lists", async () => {
    const empty = await dirs.make();
    const result = await runLarder(["list", "--json", "--data-dir", empty]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ providers: [], modules: [] });
  });
});
