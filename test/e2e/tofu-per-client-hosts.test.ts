import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();

// Host-less everywhere, as real projects are: the root's provider, the root's module, and inside that module its
// provider and its nested module call. tofu reads every one of them as registry.opentofu.org.
const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "fixture/alpha", version = "~> 1.0" }
  }
}

module "app" {
  source  = "fixture/app/fixture"
  version = "1.0.0"
}
`;

/** Discovery of one fixture flavour, as a `host` block: tofu installing straight from that registry. */
async function hostBlock(host: string, baseUrl: string): Promise<string> {
  const answer = await fetch(`${baseUrl}/.well-known/terraform.json`);
  const services = (await answer.json()) as Record<string, string>;
  const absolute = (path: string | undefined): string => new URL(path ?? "", `${baseUrl}/`).toString();
  return [
    `host "${host}" {`,
    `  services = {`,
    `    "providers.v1" = "${absolute(services["providers.v1"])}"`,
    `    "modules.v1"   = "${absolute(services["modules.v1"])}"`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

describe.skipIf(!tofu.available)(`host-less addresses mirrored for each client ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  const serves: ServeProcess[] = [];
  let directLock: string;
  /** registry.terraform.io answers like itself, registry.opentofu.org like OpenTofu's registry. */
  let upstreams: string[];

  async function project(name: string): Promise<string> {
    const dir = join(temp.path, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF);
    return dir;
  }

  /** Mirrors the project's two host-less addresses exactly as a user types them, then serves the data dir. */
  async function mirrorAndServe(name: string, env: Record<string, string>): Promise<ServeProcess> {
    const dataDir = join(temp.path, name);
    for (const args of [
      ["module", "fixture/app/fixture", "--version", "1.0.0"],
      ["provider", "fixture/alpha", "--version", "~> 1.0"],
    ]) {
      const mirrored = await runLarder(
        ["mirror", ...args, "--platform", "linux_amd64", "--data-dir", dataDir, ...upstreams],
        env,
      );
      expect(mirrored.code, mirrored.stderr).toBe(0);
    }
    const serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
    serves.push(serve);
    return serve;
  }

  async function initThrough(serve: ServeProcess, dataDirName: string, name: string) {
    const dir = await project(name);
    const config = await writeTerraformrc(
      serve,
      join(temp.path, dataDirName),
      "host",
      join(temp.path, `${name}.tfrc`),
    );
    return { dir, init: await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config }) };
  }

  let both: ServeProcess;
  let terraformOnly: ServeProcess;

  beforeAll(async () => {
    temp = await makeTempDir("e2e-clients");
    const upstream = await startFixtureUpstream();
    fixture = upstream;
    const tofuUrl = upstream.urlFor("opentofu-registry");
    upstreams = [
      ...["--upstream", `registry.terraform.io=${upstream.urlFor("terraform-registry")}`],
      ...["--upstream", `registry.opentofu.org=${tofuUrl}`],
    ];

    // The baseline: tofu installing the project straight from the registries.
    const direct = await project("direct");
    const directRc = join(temp.path, "direct.tfrc");
    await writeFile(
      directRc,
      (await hostBlock("registry.terraform.io", upstream.urlFor("terraform-registry"))) +
        (await hostBlock("registry.opentofu.org", tofuUrl)),
    );
    const init = await runTofu(["init", "-input=false"], { cwd: direct, cliConfigFile: directRc });
    expect(init.code, init.output).toBe(0);
    directLock = join(direct, ".terraform.lock.hcl");

    // The mirror's default (both clients), and the same commands for terraform only.
    both = await mirrorAndServe("both", { LARDER_CLIENTS: "" });
    terraformOnly = await mirrorAndServe("terraform-only", { LARDER_CLIENTS: "terraform" });
    // From here on the upstream is gone: everything must come from Larder.
    await upstream.stop();
  });

  afterAll(async () => {
    for (const serve of serves) await serve.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("tofu installs the host-less project offline, with the same lock file as a direct install", async () => {
    const { dir, init } = await initThrough(both, "both", "offline");
    expect(init.code, init.output).toBe(0);
    // Each provider from the registry tofu reads its address as: the root's and app's host-less ones from
    // registry.opentofu.org (which tofu prints without its host), caller's explicitly hosted one from
    // registry.terraform.io.
    expect(init.output).toMatch(/Installed fixture\/alpha v1\.1\.0 \(signed/);
    expect(init.output).toMatch(/Installed fixture\/beta v0\.4\.0 \(signed/);
    expect(init.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0/);
    expect(await readFile(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(await readFile(directLock, "utf8"));
    const modules = JSON.parse(
      await readFile(join(dir, ".terraform", "modules", "modules.json"), "utf8"),
    ) as { Modules: { Key: string; Source: string }[] };
    expect(modules.Modules.map((entry) => `${entry.Key} ${entry.Source}`).sort()).toEqual([
      " ",
      "app registry.opentofu.org/fixture/app/fixture",
      "app.caller registry.opentofu.org/fixture/caller/fixture",
      "app.caller.flat registry.opentofu.org/fixture/flat/fixture",
    ]);
  });

  it("a mirror stocked for terraform only cannot serve tofu the same project: why the default is both", async () => {
    const { init } = await initThrough(terraformOnly, "terraform-only", "terraform-only");
    expect(init.code).not.toBe(0);
    // The miss names the host tofu asked and the command that would mirror it there (issue 15).
    expect(init.output.replace(/\s+/g, " "), init.output).toContain(
      "410 Not mirrored by Larder; to mirror it run: larder mirror module registry.opentofu.org/fixture/app/fixture",
    );
  });
});
