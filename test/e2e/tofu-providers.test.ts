import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { runLarder, startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();

// One provider from each default host: tofu resolves "fixture/beta" to registry.opentofu.org.
const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "registry.terraform.io/fixture/alpha", version = "~> 1.0" }
    beta  = { source = "fixture/beta" }
  }
}
`;

/** A CLI config that sends both default hosts straight to the fixture: "installing without a mirror". */
function directConfig(fixtureUrl: string): string {
  return ["registry.terraform.io", "registry.opentofu.org"]
    .map((host) => `host "${host}" {\n  services = { "providers.v1" = "${fixtureUrl}/v1/providers/" }\n}\n`)
    .join("");
}

describe.skipIf(!tofu.available)(`tofu init through Larder ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let dataDir: string;
  let directLock: string;

  async function project(name: string, lockFile?: string): Promise<string> {
    const dir = join(temp.path, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF);
    if (lockFile) await copyFile(lockFile, join(dir, ".terraform.lock.hcl"));
    return dir;
  }

  function terraformrc(mode: "host" | "network-mirror"): Promise<string> {
    if (!serve) throw new Error("larder serve did not start");
    return writeTerraformrc(serve, dataDir, mode, join(temp.path, `${mode}.tfrc`));
  }

  beforeAll(async () => {
    temp = await makeTempDir("e2e-tofu");
    // The Linux default location, dot folder included (it once made /files/ answer 404).
    dataDir = join(temp.path, ".local", "share", "larder");
    const upstream = await startFixtureUpstream();
    fixture = upstream;

    // The baseline: the lock file tofu writes when it installs straight from the upstream registry.
    const direct = await project("direct");
    const directRc = join(temp.path, "direct.tfrc");
    await writeFile(directRc, directConfig(upstream.url));
    const init = await runTofu(["init", "-input=false"], { cwd: direct, cliConfigFile: directRc });
    expect(init.code, init.output).toBe(0);
    directLock = join(direct, ".terraform.lock.hcl");

    const upstreams = [
      "--upstream",
      `registry.terraform.io=${upstream.url}`,
      "--upstream",
      `registry.opentofu.org=${upstream.url}`,
    ];
    for (const args of [
      [
        "registry.terraform.io/fixture/alpha",
        "--version",
        "~> 1.0",
        "--platform",
        "linux_amd64",
        "--platform",
        "darwin_arm64",
      ],
      // Larder, like terraform, reads "fixture/beta" as registry.terraform.io; tofu's default host needs naming.
      ["registry.opentofu.org/fixture/beta", "--platform", "linux_amd64"],
    ]) {
      const mirrored = await runLarder(["mirror", "provider", ...args, "--data-dir", dataDir, ...upstreams]);
      expect(mirrored.code, mirrored.stderr).toBe(0);
    }
    // From here on the upstream is gone: everything must come from Larder.
    await upstream.stop();
    serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
  });

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("installs through the host override with the upstream stopped, writing the same lock file as a direct install", async () => {
    const dir = await project("host-mode");
    const init = await runTofu(["init", "-input=false"], {
      cwd: dir,
      cliConfigFile: await terraformrc("host"),
    });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(
      /Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0 \(signed, key ID/,
    );
    expect(await readFile(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(await readFile(directLock, "utf8"));
  });

  it("verifies an existing lock file from a direct install against the packages Larder serves", async () => {
    const dir = await project("existing-lock", directLock);
    const init = await runTofu(["init", "-input=false"], {
      cwd: dir,
      cliConfigFile: await terraformrc("host"),
    });
    expect(init.code, init.output).toBe(0);
    expect(await readFile(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(await readFile(directLock, "utf8"));
  });

  it("installs through the HTTPS network mirror with Larder's CA trusted via SSL_CERT_FILE", async () => {
    const dir = await project("network-mirror");
    const config = await terraformrc("network-mirror");
    const init = await runTofu(["init", "-input=false"], {
      cwd: dir,
      cliConfigFile: config,
      env: { SSL_CERT_FILE: join(dataDir, "tls", "ca-bundle.pem") },
    });
    expect(init.code, init.output).toBe(0);
    // Through a network mirror tofu records only the installed platform's h1; it must be the upstream's h1.
    const lock = await readFile(join(dir, ".terraform.lock.hcl"), "utf8");
    const direct = await readFile(directLock, "utf8");
    const h1s = [...lock.matchAll(/"(h1:[^"]+)"/g)].map((match) => match[1] ?? "");
    expect(h1s).toHaveLength(2);
    for (const h1 of h1s) expect(direct).toContain(h1);
  });

  it("refuses the network mirror when Larder's CA is not trusted", async () => {
    const dir = await project("untrusted");
    const init = await runTofu(["init", "-input=false"], {
      cwd: dir,
      cliConfigFile: await terraformrc("network-mirror"),
      env: { SSL_CERT_FILE: "/dev/null" },
    });
    expect(init.code).not.toBe(0);
    expect(init.output).toMatch(/certificate signed by unknown authority|x509/);
  });

  it("fails clearly when a required version is not in the mirror", async () => {
    const dir = join(temp.path, "missing-version");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF.replace('version = "~> 1.0"', 'version = "~> 2.0"'));
    const init = await runTofu(["init", "-input=false"], {
      cwd: dir,
      cliConfigFile: await terraformrc("host"),
    });
    expect(init.code).not.toBe(0);
    expect(init.output.replace(/\s+/g, " ")).toMatch(
      /no available releases match the given constraints ~> 2.0/,
    );
  });
});
