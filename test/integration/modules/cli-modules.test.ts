import { stat } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, listJsonSchema, TempDirs } from "../cli/cli-support.js";
import { moduleUpstreamArgs, sourceRequests } from "./module-support.js";

const TF = "registry.terraform.io";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-modules");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
  await dirs.removeAll();
});

beforeEach(() => {
  fixture.clearRequests();
});

function mirrorModule(
  dataDir: string,
  args: readonly string[],
  env?: Record<string, string>,
): Promise<CliResult> {
  return runLarder(["mirror", "module", ...args, "--data-dir", dataDir, ...moduleUpstreamArgs(fixture)], env);
}

function expectSuccess(result: CliResult): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
  expect(result.stderr).not.toMatch(/^larder: /m);
}

describe("larder mirror module", () => {
  it("exits non-zero when one item fails before reporting while the others succeed", async () => {
    const dataDir = await dirs.make();
    // Planning reads the list once; then the first item to ask gets a 404, the other the real list.
    fixture.failNext("/v1/modules/fixture/flat/fixture/versions", 404, 1, 1);
    const result = await mirrorModule(dataDir, [
      "fixture/flat/fixture",
      "--all-versions",
      "--no-dependencies",
    ]);
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stdout).toMatch(/Modules: stored 2, already present 0, failed 1\./);
    expect(result.stderr).toMatch(/^larder: .*does not have a module named/m);
  });

  afterEach(async () => {
    await dirs.removeAll();
  });

  it("--help lists the address and every option", async () => {
    const result = await runLarder(["mirror", "module", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: larder mirror module \[options\] <address\.\.\.>/);
    for (const option of [
      "--version <constraint>",
      "--all-versions",
      "--platform <os_arch>",
      "--no-dependencies",
      "--upstream <HOST=URL>",
      "--data-dir <dir>",
    ]) {
      expect(result.stdout).toContain(option);
    }
  });

  it("stores a module, then says it is already present and downloads nothing", async () => {
    const dataDir = await dirs.make();
    const first = await mirrorModule(dataDir, ["fixture/flat/fixture", "--version", "1.1.0"]);
    expectSuccess(first);
    expect(first.stderr).toMatch(
      new RegExp(`^stored +module ${TF}/fixture/flat/fixture 1\\.1\\.0 \\(\\d+ B\\)$`, "m"),
    );
    expect(first.stdout).toContain("Modules: stored 1, already present 0, failed 0.");
    fixture.clearRequests();
    const again = await mirrorModule(dataDir, ["fixture/flat/fixture", "--version", "1.1.0"]);
    expectSuccess(again);
    expect(again.stderr).toMatch(
      new RegExp(`^already stored +module ${TF}/fixture/flat/fixture 1\\.1\\.0$`, "m"),
    );
    expect(again.stdout).toContain("Modules: stored 0, already present 1, failed 0.");
    expect(sourceRequests(fixture)).toEqual([]);
  });

  it("with dependencies stores the called module and the required provider for --platform", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorModule(dataDir, ["fixture/caller/fixture", "--platform", "windows_amd64"]);
    expectSuccess(result);
    expect(result.stdout).toContain(
      "Modules: stored 2, already present 0, failed 0. Providers: stored 1, already present 0, failed 0.",
    );
    const listed = await listJson(dataDir);
    expect(listed.modules.map((entry) => `${entry.name} ${entry.version}`).sort()).toEqual([
      "caller 1.0.0",
      "flat 1.1.0",
    ]);
    expect(
      listed.providers.map((entry) => `${entry.type} ${entry.version} ${entry.platforms.join(",")}`),
    ).toEqual(["alpha 1.1.0 windows_amd64"]);
  });

  it("--no-dependencies stores only the module", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorModule(dataDir, ["fixture/caller/fixture", "--no-dependencies"]);
    expectSuccess(result);
    expect(result.stdout).toContain(
      "Modules: stored 1, already present 0, failed 0. Providers: stored 0, already present 0, failed 0.",
    );
    const listed = await listJson(dataDir);
    expect(listed.modules.map((entry) => entry.name)).toEqual(["caller"]);
    expect(listed.providers).toEqual([]);
  });

  it("a hostile module: exit 1 and one line naming the module and the problem", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorModule(dataDir, ["hostile/traversal/fixture"]);
    expectOneLineFailure(
      result,
      /^larder: Module registry\.terraform\.io\/hostile\/traversal\/fixture 1\.0\.0: /,
      /"\.\.\/evil\.tf"/,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Modules: stored 0, already present 0, failed 1.");
    expect((await listJson(dataDir)).modules).toEqual([]);
  });

  it("an invalid address: exit 2 and one line, before any request", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorModule(dataDir, ["localhost:8443/a/b/c"]);
    expectOneLineFailure(result, /Invalid module address "localhost:8443\/a\/b\/c"/, /must contain a dot/);
    expect(result.code).toBe(2);
    expect(fixture.requests).toEqual([]);
  });

  it("a module upstream does not have: exit 1 naming it", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorModule(dataDir, ["fixture/nothing/fixture"]);
    expectOneLineFailure(
      result,
      /does not have a module named registry\.terraform\.io\/fixture\/nothing\/fixture/,
    );
    expect(result.code).toBe(1);
  });

  it("a git source without git installed says so", async () => {
    const dataDir = await dirs.make();
    const emptyPath = await dirs.make();
    const result = await mirrorModule(dataDir, ["fixture/gitrepo/fixture", "--version", "3.0.0"], {
      PATH: emptyPath,
    });
    expectOneLineFailure(
      result,
      /registry\.terraform\.io\/fixture\/gitrepo\/fixture 3\.0\.0/,
      /git is not installed\. Install git and try again\./,
    );
    expect(result.code).toBe(1);
    expect((await listJson(dataDir)).modules).toEqual([]);
  });
});

async function listJson(dataDir: string): Promise<ReturnType<typeof listJsonSchema.parse>> {
  const result = await runLarder(["list", "--json", "--data-dir", dataDir]);
  expect(result.code, result.stderr).toBe(0);
  return listJsonSchema.parse(JSON.parse(result.stdout));
}

describe("larder list with modules", () => {
  let stocked: string;
  /** Bytes on disk of each stored module version's archive, "name version" → size. */
  const sizes = new Map<string, number>();

  beforeAll(async () => {
    stocked = await dirs.make();
    for (const args of [
      ["module", "fixture/flat/fixture", "--version", "1.1.0"],
      ["module", "fixture/github/fixture", "--version", "2.1.0"],
      ["provider", "fixture/beta", "--version", "0.4.0", "--platform", "linux_amd64"],
    ]) {
      const result = await runLarder([
        "mirror",
        ...args,
        "--data-dir",
        stocked,
        ...moduleUpstreamArgs(fixture),
      ]);
      if (result.code !== 0) throw new Error(`stocking failed: ${result.stderr}`);
    }
    const larder = await Larder.open({ dataDir: stocked });
    try {
      for (const entry of larder.moduleInventory())
        sizes.set(
          `${entry.name} ${entry.version}`,
          (await stat(larder.store.pathOf(entry.archiveBlob))).size,
        );
    } finally {
      larder.close();
    }
  });

  it("prints each host's providers, then its modules: address, version, size and source", async () => {
    const result = await runLarder(["list", "--data-dir", stocked]);
    expect(result.code, result.stderr).toBe(0);
    const [host, providerHeader, provider, moduleHeader, ...rows] = result.stdout.trimEnd().split("\n");
    expect(host).toBe(TF);
    expect(providerHeader).toMatch(/^ {2}PROVIDER\s+VERSION\s+PLATFORMS\s+SIZE\s+SIGNATURE$/);
    expect(provider).toMatch(/^ {2}fixture\/beta\s+0\.4\.0\s/);
    expect(moduleHeader).toMatch(/^ {2}MODULE\s+VERSION\s+SIZE\s+SOURCE$/);
    expect(rows.map((row) => row.trim().split(/\s{2,}/)).sort()).toEqual([
      [
        "fixture/flat/fixture",
        "1.1.0",
        `${String(sizes.get("flat 1.1.0"))} B`,
        fixture.moduleLocationOf("fixture", "flat", "fixture", "1.1.0"),
      ],
      [
        "fixture/github/fixture",
        "2.1.0",
        `${String(sizes.get("github 2.1.0"))} B`,
        fixture.moduleLocationOf("fixture", "github", "fixture", "2.1.0"),
      ],
    ]);
  });

  it("--json lists every stored module version with its size and source", async () => {
    const listed = await listJson(stocked);
    expect(listed.providers.map((entry) => `${entry.type} ${entry.version}`)).toEqual(["beta 0.4.0"]);
    const modules = [...listed.modules].sort((a, b) => a.name.localeCompare(b.name));
    expect(modules).toEqual(
      [
        ["flat", "1.1.0"],
        ["github", "2.1.0"],
      ].map(([name = "", version = ""]) => ({
        host: TF,
        namespace: "fixture",
        name,
        system: "fixture",
        version,
        size: sizes.get(`${name} ${version}`),
        source: fixture.moduleLocationOf("fixture", name, "fixture", version),
      })),
    );
  });
});
