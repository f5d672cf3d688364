import { execFile } from "node:child_process";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import sirv from "sirv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTlsMaterial } from "../../main/server/tls/local-certificate-authority.js";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { startLarderServe, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";
import { fixtureUpstreams, larderOk } from "../integration/bundle/bundle-support.js";

const execFileAsync = promisify(execFile);
const tofu = tofuAvailability();

// One provider from each default host: tofu resolves "fixture/beta" to registry.opentofu.org.
const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "registry.terraform.io/fixture/alpha", version = "~> 1.0" }
    beta  = { source = "fixture/beta" }
  }
}
`;

// A registry module from registry.opentofu.org (tofu's default host), served by Larder after the import.
const MODULE_TF = `
module "flat" {
  source  = "fixture/flat/fixture"
  version = "1.0.0"
}
`;

function directConfig(fixtureUrl: string): string {
  return ["registry.terraform.io", "registry.opentofu.org"]
    .map((host) => `host "${host}" {\n  services = { "providers.v1" = "${fixtureUrl}/v1/providers/" }\n}\n`)
    .join("");
}

function h1Hashes(lock: string): string[] {
  return [...lock.matchAll(/"(h1:[^"]+)"/g)].map((match) => match[1] ?? "").sort();
}

describe.skipIf(!tofu.available)(`air-gap bundle round trip with tofu ${tofu.reason}`, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let serve: ServeProcess | undefined;
  let bundle: string;
  let receiving: string;
  let directLock: string;
  let flatFiles: string[];

  async function project(name: string, extra = ""): Promise<string> {
    const dir = join(temp.path, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "main.tf"), MAIN_TF + extra);
    return dir;
  }

  beforeAll(async () => {
    temp = await makeTempDir("e2e-bundle");
    const upstream = await startFixtureUpstream();
    fixture = upstream;
    const direct = await project("direct");
    const directRc = join(temp.path, "direct.tfrc");
    await writeFile(directRc, directConfig(upstream.url));
    const init = await runTofu(["init", "-input=false"], { cwd: direct, cliConfigFile: directRc });
    expect(init.code, init.output).toBe(0);
    directLock = await readFile(join(direct, ".terraform.lock.hcl"), "utf8");

    const sending = join(temp.path, "sending");
    const upstreams = fixtureUpstreams(upstream);
    for (const args of [
      ["fixture/alpha", "--version", "~> 1.0", "--platform", "linux_amd64", "--platform", "darwin_arm64"],
      ["registry.opentofu.org/fixture/beta", "--platform", "linux_amd64"],
    ]) {
      await larderOk(["mirror", "provider", ...args, "--data-dir", sending, ...upstreams]);
    }
    await larderOk([
      "mirror",
      "module",
      "registry.opentofu.org/fixture/flat/fixture",
      "--version",
      "1.0.0",
      "--no-dependencies",
      "--data-dir",
      sending,
      ...upstreams,
    ]);
    flatFiles = upstream.moduleTreeOf("fixture", "flat", "fixture", "1.0.0").map((file) => file.name);
    // From here on there is no upstream: the far side of the air gap.
    await upstream.stop();
    bundle = join(temp.path, "mirror.tar");
    const exported = await larderOk(["bundle", "export", bundle, "--data-dir", sending]);
    const planned = Number(/Size: (\d+) bytes/.exec(exported)?.[1]);
    expect(planned).toBe((await stat(bundle)).size);
    receiving = join(temp.path, "receiving");
    // tofu init, two mirrors and an export: more than the default minute on a loaded machine.
  }, 180_000);

  afterAll(async () => {
    await serve?.stop();
    await fixture?.stop();
    await temp.remove();
  });

  it("verifies, imports into an empty data dir and serves the same lock file as the original registry", async () => {
    const verified = await larderOk(["bundle", "verify", bundle]);
    expect(verified).toMatch(/Verified: \d+ entries, all checks passed/);
    await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    serve = await startLarderServe(["--data-dir", receiving, "--port", "0", "--https-port", "0"]);
    const rc = await larderOk([
      "terraformrc",
      "--tool",
      "tofu",
      "--port",
      new URL(serve.httpUrl).port,
      "--data-dir",
      receiving,
    ]);
    const config = join(temp.path, "host.tfrc");
    await writeFile(config, rc);
    const dir = await project("imported", MODULE_TF);
    const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(
      /Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0 \(signed, key ID/,
    );
    expect(await readFile(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(directLock);
    // The module came across too and is served from the imported archive.
    const installed = await readdir(join(dir, ".terraform", "modules", "flat"), { recursive: true });
    expect(installed.sort()).toEqual(expect.arrayContaining(flatFiles));
  });

  async function unpack(name: string): Promise<string> {
    const unpacked = join(temp.path, name);
    await mkdir(unpacked);
    await execFileAsync("tar", ["-xf", bundle, "-C", unpacked]);
    return unpacked;
  }

  it("works unpacked as a filesystem_mirror with the CLI config it ships, without Larder", async () => {
    const unpacked = await unpack("unpacked");
    const shipped = await readFile(join(unpacked, "larder.tfrc"), "utf8");
    expect(shipped).toContain("filesystem_mirror");
    const config = join(temp.path, "fs-mirror.tfrc");
    await writeFile(config, shipped.replaceAll("@BUNDLE_DIR@", unpacked));
    const dir = await project("fs-mirror");
    const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
    expect(init.code, init.output).toBe(0);
    expect(init.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0/);
    // A filesystem mirror is unsigned, so tofu records the local h1 only; it must be the registry's h1.
    const lock = await readFile(join(dir, ".terraform.lock.hcl"), "utf8");
    const h1s = h1Hashes(lock);
    expect(h1s).toHaveLength(2);
    for (const h1 of h1s) expect(directLock).toContain(h1);
  });

  it("works unpacked as a network mirror behind a plain static HTTPS file server, without Larder", async () => {
    const unpacked = await unpack("static");
    const tls = await ensureTlsMaterial(join(temp.path, "tls"));
    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, sirv(unpacked, { dotfiles: false }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const config = join(temp.path, "static.tfrc");
      await writeFile(
        config,
        `provider_installation {\n  network_mirror {\n    url = "https://127.0.0.1:${port}/providers/"\n  }\n}\n`,
      );
      const dir = await project("static-mirror");
      const init = await runTofu(["init", "-input=false"], {
        cwd: dir,
        cliConfigFile: config,
        env: { SSL_CERT_FILE: tls.caCertPath },
      });
      expect(init.code, init.output).toBe(0);
      const h1s = h1Hashes(await readFile(join(dir, ".terraform.lock.hcl"), "utf8"));
      expect(h1s).toHaveLength(2);
      for (const h1 of h1s) expect(directLock).toContain(h1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
