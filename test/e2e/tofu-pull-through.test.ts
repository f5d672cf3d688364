import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();

const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "registry.terraform.io/fixture/alpha", version = "~> 1.0" }
    beta  = { source = "fixture/beta" }
  }
}

module "caller" {
  source  = "fixture/caller/fixture"
  version = "1.0.0"
}

module "sub" {
  source  = "fixture/github/fixture"
  version = "2.1.0"
}
`;

describe.skipIf(!tofu.available)(`tofu init against larder serve --pull-through ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;
  let config: string;

  async function init(name: string): Promise<{ dir: string; output: string }> {
    const dir = join(temp.path, name);
    await mkdir(dir);
    await writeFile(join(dir, "main.tf"), MAIN_TF);
    const result = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(result.code, result.output).toBe(0);
    return { dir, output: result.output };
  }

  async function served(): Promise<string> {
    if (!serve) throw new Error("larder serve did not start");
    return (await fetch(`${serve.httpUrl}/metrics`)).text();
  }

  beforeAll(async () => {
    temp = await makeTempDir("e2e-pull-through");
    dataDir = join(temp.path, "data");
    const upstream = await startFixtureUpstream();
    fixture = upstream;
    serve = await startLarderServe([
      "--data-dir",
      dataDir,
      "--port",
      "0",
      "--https-port",
      "0",
      "--pull-through",
      "--upstream",
      `registry.terraform.io=${upstream.url}`,
      "--upstream",
      `registry.opentofu.org=${upstream.url}`,
      "--upstream",
      `github.com=${upstream.url}/github`,
    ]);
    const rc = await runLarder([
      "terraformrc",
      "--tool",
      "tofu",
      "--port",
      new URL(serve.httpUrl).port,
      "--data-dir",
      dataDir,
    ]);
    expect(rc.code, rc.stderr).toBe(0);
    config = join(temp.path, "tofu.tfrc");
    await writeFile(config, rc.stdout);
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("fills an empty mirror on demand, then installs the same again with the upstream stopped", async () => {
    const first = await init("first");
    expect(first.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0 \(signed/);
    expect(await served()).toMatch(/larder_served_packages_total\{kind="provider",result="pull_through"\} 2/);
    expect(await served()).toMatch(/larder_served_packages_total\{kind="module",result="pull_through"\} 3/);

    // Everything tofu needed is now stored, verified, under the upstream's addresses.
    const list = await runLarder(["list", "--json", "--data-dir", dataDir]);
    const stored = JSON.parse(list.stdout) as {
      providers: { type: string }[];
      modules: { name: string; version: string }[];
    };
    expect(stored.providers.map((entry) => entry.type).sort()).toEqual(["alpha", "beta"]);
    expect(stored.modules.map((entry) => `${entry.name}@${entry.version}`).sort()).toEqual([
      "caller@1.0.0",
      "flat@1.1.0",
      "github@2.1.0",
    ]);

    await fixture?.stop();
    const second = await init("second");
    expect(second.output).not.toMatch(/Warning/);
    expect(await readFile(join(second.dir, ".terraform.lock.hcl"), "utf8")).toBe(
      await readFile(join(first.dir, ".terraform.lock.hcl"), "utf8"),
    );
    expect(await served()).toMatch(/larder_served_packages_total\{kind="provider",result="hit"\} 2/);
  });
});
