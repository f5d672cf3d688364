// A keyless registry.opentofu.org provider, mirrored from answers shaped like that registry's
// (`"gpg_public_keys": null`), installs through Larder with tofu's own warning; the real tofu decides.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultFixtureProviders,
  keylessFixtureProvider,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();

// Host-less: tofu reads it as registry.opentofu.org/fixture/keyless.
const MAIN_TF = `terraform {
  required_providers {
    keyless = { source = "fixture/keyless" }
  }
}
`;

describe.skipIf(!tofu.available)(`tofu init of a keyless provider through Larder ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    temp = await makeTempDir("e2e-keyless");
    dataDir = join(temp.path, "data");
    fixture = await startFixtureUpstream({
      providers: [...defaultFixtureProviders, keylessFixtureProvider],
    });
    const upstream = ["--upstream", `registry.opentofu.org=${fixture.urlFor("opentofu-registry")}`];
    const refused = await runLarder([
      ...["mirror", "provider", "registry.opentofu.org/fixture/keyless", "--platform", "linux_amd64"],
      ...["--data-dir", dataDir, "--require-signatures", ...upstream],
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/signatures are required/);
    const mirrored = await runLarder([
      ...["mirror", "provider", "registry.opentofu.org/fixture/keyless", "--platform", "linux_amd64"],
      ...["--data-dir", dataDir, ...upstream],
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    await fixture.stop();
    serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("installs offline with tofu's 'signature validation was skipped' warning and locks it under tofu's default host", async () => {
    if (!serve) throw new Error("larder serve did not start");
    const dir = join(temp.path, "project");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF);
    const config = await writeTerraformrc(serve, dataDir, "host", join(temp.path, "host.tfrc"));
    const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
    expect(init.output.replace(/\s+/g, " ")).toMatch(
      /Signature validation was skipped due to the registry not containing GPG keys for this provider/,
    );
    expect(init.output).toMatch(/Installed fixture\/keyless v1\.0\.0\. Signature validation was skipped/);
    const lock = await readFile(join(dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toMatch(/provider "registry\.opentofu\.org\/fixture\/keyless"/);
  });
});
