// Issue 16 with the real tofu: a repository, not a provider, made to work offline. `larder check` fails naming what
// is missing, `larder mirror project` fixes it, `check` passes, `tofu init` works with the upstream stopped, and
// `larder lock` writes the same file as `tofu providers lock` against the upstream directly.
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();
const HOSTS = ["registry.terraform.io", "registry.opentofu.org"] as const;

// Host-less providers (tofu reads them on registry.opentofu.org), a registry module whose nested calls are
// host-less (app → caller → flat), a module published in git (gitrepo), and a local module calling a registry one.
const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "fixture/alpha", version = ">= 1.0.0, < 2.0.0" }
  }
}

module "app" {
  source  = "fixture/app/fixture"
  version = "1.0.0"
}

module "git" {
  source  = "fixture/gitrepo/fixture"
  version = "3.0.0"
}

module "local" {
  source = "./modules/local"
}
`;

const LOCAL_TF = `module "flat" {
  source  = "fixture/flat/fixture"
  version = "1.0.0"
  name    = "local"
}
`;

/** Both default hosts straight to the fixture, modules too: tofu working without any mirror. */
function directConfig(fixtureUrl: string): string {
  return HOSTS.map(
    (host) =>
      `host "${host}" {\n  services = {\n    "providers.v1" = "${fixtureUrl}/v1/providers/"\n    "modules.v1"   = "${fixtureUrl}/v1/modules/"\n  }\n}\n`,
  ).join("");
}

describe.skipIf(!tofu.available)(`a project made to work offline ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;
  let project: string;
  let directLock: string;
  const checkArgs = (): string[] => ["check", project, "--for", "tofu", "--platform", "linux_amd64"];

  async function writeProject(dir: string): Promise<void> {
    await mkdir(join(dir, "modules", "local"), { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF);
    await writeFile(join(dir, "modules", "local", "main.tf"), LOCAL_TF);
  }

  beforeAll(async () => {
    temp = await makeTempDir("e2e-project");
    dataDir = join(temp.path, "data");
    project = join(temp.path, "project");
    await writeProject(project);
    const upstream = await startFixtureUpstream();
    fixture = upstream;

    // The baseline: `tofu providers lock` straight from the upstream (it reads the modules `tofu get` fetched).
    const direct = join(temp.path, "direct");
    await cp(project, direct, { recursive: true });
    const directRc = join(temp.path, "direct.tfrc");
    await writeFile(directRc, directConfig(upstream.url));
    const get = await runTofu(["get"], { cwd: direct, cliConfigFile: directRc });
    expect(get.code, get.output).toBe(0);
    const lock = await runTofu(["providers", "lock", "-platform=linux_amd64"], {
      cwd: direct,
      cliConfigFile: directRc,
    });
    expect(lock.code, lock.output).toBe(0);
    directLock = await readFile(join(direct, ".terraform.lock.hcl"), "utf8");
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("check fails naming what is missing, mirror project fixes it, check passes", async () => {
    if (!fixture) throw new Error("setup failed");
    const before = await runLarder([...checkArgs(), "--data-dir", dataDir]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain("missing  provider registry.opentofu.org/fixture/alpha: not stored");
    expect(before.stdout).toContain("missing  module registry.opentofu.org/fixture/app/fixture");
    expect(before.stdout).toContain("missing  module registry.opentofu.org/fixture/flat/fixture");
    expect(before.stderr).toContain("would not init offline");

    const upstreams = HOSTS.flatMap((host) => ["--upstream", `${host}=${fixture?.url ?? ""}`]);
    const mirrored = await runLarder([
      ...["mirror", "project", project, "--for", "tofu", "--platform", "linux_amd64"],
      ...["--data-dir", dataDir, ...upstreams],
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);

    const after = await runLarder([...checkArgs(), "--data-dir", dataDir]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toContain("init works offline");
    // caller (under app) requires registry.terraform.io/fixture/alpha by its full address; beta comes from app.
    for (const provider of [
      "registry.opentofu.org/fixture/alpha 1.1.0",
      "registry.terraform.io/fixture/alpha 1.1.0",
      "registry.opentofu.org/fixture/beta 0.4.0",
    ])
      expect(after.stdout).toContain(`ok       provider ${provider}`);
  });

  it("tofu init works with the upstream stopped, and larder lock writes what tofu providers lock wrote", async () => {
    await fixture?.stop();
    fixture = undefined;
    serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
    const offline = join(temp.path, "offline");
    await cp(project, offline, { recursive: true });
    const init = await runTofu(["init", "-input=false"], {
      cwd: offline,
      cliConfigFile: await writeTerraformrc(serve, dataDir, "host", join(temp.path, "larder.tfrc")),
    });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toContain("OpenTofu has been successfully initialized!");

    const locked = await runLarder([
      ...["lock", project, "--for", "tofu", "--platform", "linux_amd64", "--data-dir", dataDir],
    ]);
    expect(locked.code, locked.stderr).toBe(0);
    expect(await readFile(join(project, ".terraform.lock.hcl"), "utf8")).toBe(directLock);
  });
});
