// Issue 16 through the built CLI: `larder check`, `larder mirror project` and `larder lock` on a project on disk
// (host-less providers, a lock file, a local module calling a registry module, a git module) against the fixture.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  gitRepoName,
  gitRepoTag,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { TempDirs } from "./cli-support.js";

const TF = "registry.terraform.io";
let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-project");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

afterEach(async () => {
  await dirs.removeAll();
});

/**
 * A root module: host-less alpha and beta, a local module that calls fixture/caller, a module from a git repository
 * and one from an HTTP archive (caller's own files, so it requires alpha on registry.terraform.io and calls flat).
 */
async function writeProject(dir: string, extra = ""): Promise<void> {
  await mkdir(join(dir, "modules", "net"), { recursive: true });
  await writeFile(
    join(dir, "main.tf"),
    [
      `terraform {`,
      `  required_providers {`,
      `    alpha = { source = "fixture/alpha", version = ">= 1.0.0, < 2.0.0" }`,
      `  }`,
      `}`,
      `module "net" { source = "./modules/net" }`,
      `module "git" { source = "git::${fixture.url}/git/${gitRepoName}.git?ref=${gitRepoTag}" }`,
      `module "archive" { source = "${fixture.url}/archives/caller-1.0.0.tar.gz" }`,
      extra,
      ``,
    ].join("\n"),
  );
  // JSON syntax too: init reads *.tf.json beside *.tf.
  await writeFile(
    join(dir, "modules", "net", "net.tf.json"),
    JSON.stringify({
      terraform: { required_providers: { beta: { source: "fixture/beta", version: "0.3.0" } } },
      module: { caller: { source: "fixture/caller/fixture", version: "1.0.0" } },
    }),
  );
}

function larder(dataDir: string, args: readonly string[]): Promise<CliResult> {
  // Only `mirror` reaches a registry; check and lock read the mirror alone.
  return runLarder([...args, "--data-dir", dataDir], { LARDER_UPSTREAMS: `${TF}=${fixture.url}` });
}

const checkJson = z.object({
  ok: z.boolean(),
  platforms: z.array(z.string()),
  projects: z.array(
    z.object({
      dir: z.string(),
      checks: z.array(
        z.object({
          client: z.string(),
          ok: z.boolean(),
          providers: z.array(
            z.object({ address: z.string(), version: z.string().optional(), problem: z.string().optional() }),
          ),
          modules: z.array(z.object({ stored: z.string().optional(), problem: z.string().optional() })),
          remote: z.array(z.object({ source: z.string(), read: z.string(), problem: z.string().optional() })),
        }),
      ),
    }),
  ),
});

describe("larder check, mirror project and lock", () => {
  // The fixture's host:port, where init would fetch the git and archive modules from.
  let host = "";
  beforeAll(() => {
    host = new URL(fixture.url).host;
  });

  it("fails naming what is missing, mirrors the whole closure in one job, then passes and locks every platform", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeProject(project);
    const platforms = ["--platform", "linux_amd64", "--platform", "darwin_arm64"];

    const before = await larder(dataDir, ["check", project, "--platform", "linux_amd64"]);
    expect(before.code, before.stderr).toBe(1);
    expect(before.stdout).toContain(`MISSING  ${project} for terraform (linux_amd64):`);
    expect(before.stdout).toContain(`missing  provider ${TF}/fixture/alpha: not stored`);
    expect(before.stdout).toContain(`missing  module ${TF}/fixture/caller/fixture: no stored version`);
    expect(before.stdout).toContain(
      `larder mirror provider ${TF}/fixture/alpha --version '>= 1.0.0, < 2.0.0' --platform linux_amd64`,
    );
    expect(before.stdout).toContain(
      `larder mirror project ${project} --for terraform --platform linux_amd64`,
    );
    // The git and archive modules have not been read yet: what they need is unknown until mirror project reads them.
    expect(before.stdout).toContain(
      `missing  module git::${fixture.url}/git/${gitRepoName}.git?ref=${gitRepoTag} (from .): not read yet`,
    );

    const mirrored = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    // One job: alpha 1.1.0 (the newest match), beta 0.3.0, caller and the module it calls, with caller's alpha.
    expect(mirrored.stderr).toMatch(/Job \d+: project /);
    expect(mirrored.stderr).toContain(
      `READ            module ${fixture.url}/archives/caller-1.0.0.tar.gz (called from . in ${project}): what it needs is mirrored; init fetches the module itself from ${host}`,
    );
    expect(mirrored.stdout).toContain("Modules: stored 2, already present 0, failed 0.");
    expect(mirrored.stdout).toContain(`Check that init works offline: larder check ${project}`);
    const jobs = await larder(dataDir, ["jobs", "--json"]);
    expect(
      z
        .array(z.object({ kind: z.string() }))
        .parse(JSON.parse(jobs.stdout))
        .map((job) => job.kind),
    ).toEqual(["mirror-project"]);

    // Read now, but init fetches those two modules from the fixture's host itself: only fine where it is reachable.
    const unreachable = await larder(dataDir, ["check", project, "--platform", "linux_amd64"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toContain(
      `init fetches it from ${host} itself (Larder serves registry modules only); if init can reach ${host} where it runs, say so with --reachable ${host}`,
    );
    const after = await larder(dataDir, [
      ...["check", project, "--platform", "linux_amd64", "--reachable", host, "--json"],
    ]);
    expect(after.code, after.stdout).toBe(0);
    const report = checkJson.parse(JSON.parse(after.stdout));
    expect(report.ok).toBe(true);
    expect(report.projects[0]?.checks[0]?.remote.map((status) => status.read)).toEqual(["read", "read"]);
    const [check] = report.projects[0]?.checks ?? [];
    expect(check?.providers.map((status) => [status.address, status.version])).toEqual([
      [`${TF}/fixture/alpha`, "1.1.0"],
      [`${TF}/fixture/beta`, "0.3.0"],
    ]);
    expect(check?.modules.map((status) => status.stored)).toEqual(["1.0.0", "1.1.0"]);

    // The fixture offers beta for linux_amd64 only: check, mirror and lock for darwin_arm64 too say so.
    const darwin = await larder(dataDir, ["check", project, ...platforms, "--reachable", host]);
    expect(darwin.code).toBe(1);
    expect(darwin.stdout).toContain("1.1.0 is not stored for darwin_arm64");
    const refused = await larder(dataDir, ["lock", project, ...platforms]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${TF}/fixture/beta: 0.3.0 is not stored for darwin_arm64`);
    const partly = await larder(dataDir, ["mirror", "project", project, ...platforms]);
    expect(partly.code).not.toBe(0);
    expect(partly.stderr).toContain("darwin_arm64");

    // alpha, now stored for both platforms, locks with an h1: for each and a zh: for every SHA256SUMS line.
    const alphaOnly = await dirs.make();
    await writeFile(
      join(alphaOnly, "main.tf"),
      'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha", version = "~> 1.0" }\n  }\n}\n',
    );
    const locked = await larder(dataDir, ["lock", alphaOnly, ...platforms]);
    expect(locked.code, locked.stderr).toBe(0);
    const text = await readFile(join(alphaOnly, ".terraform.lock.hcl"), "utf8");
    expect(text.startsWith('# This file is maintained automatically by "terraform init".\n')).toBe(true);
    expect(text).toContain(
      `provider "${TF}/fixture/alpha" {\n  version     = "1.1.0"\n  constraints = "~> 1.0"\n`,
    );
    expect(text.match(/"h1:/g)).toHaveLength(2);
    expect(text.match(/"zh:/g)?.length).toBeGreaterThanOrEqual(2);
    const unchanged = await larder(dataDir, ["lock", alphaOnly, ...platforms]);
    expect(unchanged.stdout).toContain("is up to date");
  });

  it("names module sources it cannot read, and why, in mirror project and check", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeProject(project, `module "bucket" { source = "s3::https://s3.amazonaws.com/bucket/vpc.zip" }`);
    const mirrored = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    expect(mirrored.stderr).toContain(
      "NOT READ        module s3::https://s3.amazonaws.com/bucket/vpc.zip (called from . in",
    );
    expect(mirrored.stderr).toContain("the s3:: getter is not supported");
    const check = await larder(dataDir, ["check", project, "--platform", "linux_amd64", "--reachable", host]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("missing  module s3::https://s3.amazonaws.com/bucket/vpc.zip (from .):");
    expect(check.stdout).toContain(
      "vendor it into the repository (a local path) or publish it to a registry",
    );
  });

  it("refuses a lock file that does not parse, naming it", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeProject(project);
    await writeFile(join(project, ".terraform.lock.hcl"), 'provider "x" {\n  version = \n');
    const result = await larder(dataDir, ["check", project]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(join(project, ".terraform.lock.hcl"));
  });
});

describe("what mirror project picks", () => {
  let host = "";
  beforeAll(() => {
    host = new URL(fixture.url).host;
  });

  const listed = async (dataDir: string): Promise<string[]> => {
    const list = await larder(dataDir, ["list", "--json"]);
    const parsed = z
      .object({
        providers: z.array(z.object({ namespace: z.string(), type: z.string(), version: z.string() })),
        modules: z.array(z.object({ name: z.string(), version: z.string() })),
      })
      .parse(JSON.parse(list.stdout));
    return [
      ...parsed.providers.map((p) => `${p.namespace}/${p.type} ${p.version}`),
      ...parsed.modules.map((m) => `module ${m.name} ${m.version}`),
    ].sort();
  };

  it("takes the lock file's version over a module's own constraint, mirroring nothing init would not use", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    // caller requires registry.terraform.io/fixture/alpha ~> 1.0 (newest 1.1.0); the lock pins 1.0.0.
    await writeFile(
      join(project, "main.tf"),
      'module "caller" {\n  source  = "fixture/caller/fixture"\n  version = "1.0.0"\n}\n',
    );
    await writeFile(
      join(project, ".terraform.lock.hcl"),
      `provider "${TF}/fixture/alpha" {\n  version     = "1.0.0"\n  constraints = "~> 1.0"\n}\n`,
    );
    const mirrored = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    expect(await listed(dataDir)).toEqual([
      "fixture/alpha 1.0.0",
      "module caller 1.0.0",
      "module flat 1.1.0",
    ]);
    const check = await larder(dataDir, ["check", project, "--platform", "linux_amd64"]);
    expect(check.code, check.stdout).toBe(0);
    expect(check.stdout).toContain(`ok       provider ${TF}/fixture/alpha 1.0.0 (locked)`);
  });

  it("answers a re-run of a pinned, stored project from the mirror alone: no registry asked, no job", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeFile(
      join(project, "main.tf"),
      'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha", version = "1.1.0" }\n  }\n}\n' +
        'module "flat" {\n  source  = "fixture/flat/fixture"\n  version = "1.1.0"\n}\n',
    );
    const first = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(first.code, first.stderr).toBe(0);
    const before = fixture.requests.length;
    const again = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to mirror: every provider and module the project pins is stored");
    expect(again.stdout).toContain(`larder check ${project} --for terraform --platform linux_amd64`);
    expect(fixture.requests.length).toBe(before);
    const jobs = await larder(dataDir, ["jobs", "--json"]);
    expect(z.array(z.unknown()).parse(JSON.parse(jobs.stdout))).toHaveLength(1);
    // A provider range is not pinned: a newer match upstream would be mirrored, so the registry is asked again.
    await writeFile(
      join(project, "main.tf"),
      'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha", version = "~> 1.0" }\n  }\n}\n',
    );
    const ranged = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(ranged.code, ranged.stderr).toBe(0);
    expect(ranged.stdout).not.toContain("Nothing to mirror");
    expect(fixture.requests.length).toBeGreaterThan(before);
  });

  it("mirrors the registry modules a module from an HTTP archive calls, and what they require", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeFile(
      join(project, "main.tf"),
      `module "archive" {\n  source = "${fixture.url}/archives/caller-1.0.0.tar.gz"\n}\n`,
    );
    const mirrored = await larder(dataDir, ["mirror", "project", project, "--platform", "linux_amd64"]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    // Only the archive's own call reaches flat; only its required_providers reaches alpha.
    expect(await listed(dataDir)).toEqual(["fixture/alpha 1.1.0", "module flat 1.1.0"]);
    const check = await larder(dataDir, ["check", project, "--platform", "linux_amd64", "--reachable", host]);
    expect(check.code, check.stdout).toBe(0);
  });

  it("refuses to lock a project whose modules the mirror lacks, naming the module", async () => {
    const dataDir = await dirs.make();
    const project = await dirs.make();
    await writeFile(
      join(project, "main.tf"),
      'terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha" }\n  }\n}\n' +
        'module "caller" {\n  source  = "fixture/caller/fixture"\n  version = "1.0.0"\n}\n',
    );
    expect(
      (await larder(dataDir, ["mirror", "provider", "fixture/alpha", "--platform", "linux_amd64"])).code,
    ).toBe(0);
    const refused = await larder(dataDir, ["lock", project, "--platform", "linux_amd64"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`module ${TF}/fixture/caller/fixture: no stored version`);
    expect(refused.stderr).toContain(
      `larder mirror module ${TF}/fixture/caller/fixture --version 1.0.0 --for terraform --platform linux_amd64`,
    );
    await expect(readFile(join(project, ".terraform.lock.hcl"), "utf8")).rejects.toThrow();
  });
});
