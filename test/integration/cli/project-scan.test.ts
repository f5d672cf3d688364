// Issue 16's "one command instead of many": several addresses in one `larder mirror provider|module` (one job), and
// a directory tree scanned for its root modules by `check` and `mirror project` (a local module is not a root).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { TempDirs } from "./cli-support.js";

const TF = "registry.terraform.io";
let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-project-scan");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

afterEach(async () => {
  await dirs.removeAll();
});

function larder(dataDir: string, args: readonly string[]): Promise<CliResult> {
  return runLarder([...args, "--data-dir", dataDir, "--for", "terraform"], {
    LARDER_UPSTREAMS: `${TF}=${fixture.url}`,
  });
}

const jobsJson = z.array(
  z.object({ kind: z.string(), what: z.string(), items: z.object({ total: z.number() }) }),
);

async function jobs(dataDir: string): Promise<z.infer<typeof jobsJson>> {
  const listed = await runLarder(["jobs", "--json", "--data-dir", dataDir]);
  return jobsJson.parse(JSON.parse(listed.stdout));
}

describe("several addresses in one mirror command", () => {
  it("mirrors two providers as one job, and two modules as one job", async () => {
    const dataDir = await dirs.make();
    const providers = await larder(dataDir, [
      ...["mirror", "provider", "fixture/alpha", "fixture/beta", "--platform", "linux_amd64"],
    ]);
    expect(providers.code, providers.stderr).toBe(0);
    const modules = await larder(dataDir, [
      "mirror",
      "module",
      "fixture/flat/fixture",
      "fixture/gitrepo/fixture",
    ]);
    expect(modules.code, modules.stderr).toBe(0);
    const listed = await jobs(dataDir);
    expect(listed.map((job) => job.kind).sort()).toEqual(["mirror-module", "mirror-provider"]);
    const providerJob = listed.find((job) => job.kind === "mirror-provider");
    expect(providerJob?.what).toMatch(new RegExp(`^providers ${TF}/fixture/alpha .*; ${TF}/fixture/beta `));
    expect(providerJob?.items.total).toBe(2);
    expect(listed.find((job) => job.kind === "mirror-module")?.what).toMatch(
      new RegExp(`^modules ${TF}/fixture/flat/fixture [\\d.]+ and ${TF}/fixture/gitrepo/fixture 3\\.0\\.0`),
    );
    const list = await runLarder(["list", "--data-dir", dataDir]);
    for (const name of ["fixture/alpha", "fixture/beta", "fixture/flat/fixture", "fixture/gitrepo/fixture"])
      expect(list.stdout).toContain(name);
  });

  it("refuses the whole command, creating no job, when one address is malformed", async () => {
    const dataDir = await dirs.make();
    const result = await larder(dataDir, ["mirror", "provider", "fixture/alpha", "not an address"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("not an address");
    expect(await jobs(dataDir)).toEqual([]);
  });
});

describe("a directory tree scanned for root modules", () => {
  it("finds each root module below a folder, not the local modules they call, and checks and mirrors them all", async () => {
    const dataDir = await dirs.make();
    const tree = await dirs.make();
    const write = async (path: string, text: string): Promise<void> => {
      await mkdir(join(tree, path, ".."), { recursive: true });
      await writeFile(join(tree, path), text);
    };
    const alpha = 'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha" }\n  }\n}\n';
    await write("live/prod/main.tf", `${alpha}module "net" {\n  source = "../../modules/net"\n}\n`);
    await write(
      "live/dev/main.tf.json",
      JSON.stringify({ module: { flat: { source: "fixture/flat/fixture" } } }),
    );
    await write(
      "modules/net/main.tf",
      'terraform {\n  required_providers {\n    beta = { source = "fixture/beta" }\n  }\n}\n',
    );
    // Tool state and dependencies of other ecosystems are never read.
    await write(
      "live/prod/.terraform/modules/x/main.tf",
      'module "x" {\n  source = "fixture/nowhere/fixture"\n}\n',
    );
    await write("node_modules/pkg/main.tf", "this is not HCL {");

    const before = await larder(dataDir, ["check", tree, "--platform", "linux_amd64"]);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain(
      `Found 2 root module(s) below ${tree}:\n  ${join(tree, "live/dev")}\n  ${join(tree, "live/prod")}\n`,
    );
    expect(before.stdout).toContain(`MISSING  ${join(tree, "live/prod")} for terraform`);
    expect(before.stdout).toContain(`missing  provider ${TF}/fixture/beta: not stored`);
    expect(before.stdout).not.toContain("nowhere");

    const mirrored = await larder(dataDir, ["mirror", "project", tree, "--platform", "linux_amd64"]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    const after = await larder(dataDir, ["check", tree, "--platform", "linux_amd64"]);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain(`OK       ${join(tree, "live/dev")} for terraform`);
    expect(after.stdout).toContain(`OK       ${join(tree, "live/prod")} for terraform`);
  });

  it("says so when a folder holds no configuration at all", async () => {
    const dataDir = await dirs.make();
    const empty = await dirs.make();
    const result = await larder(dataDir, ["check", empty]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      `No Terraform configuration (.tf or .tf.json files) in ${empty} or below`,
    );
  });
});
