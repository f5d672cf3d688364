import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { startLarderServe, writeTerraformrc, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";

const tofu = tofuAvailability();

const MAIN_TF = `terraform {
  required_providers {
    alpha = { source = "registry.terraform.io/fixture/alpha", version = "~> 1.0" }
    beta  = { source = "registry.opentofu.org/fixture/beta", version = "0.3.0" }
  }
}
`;

describe.skipIf(!tofu.available)(
  `tofu init through the network mirror with --pull-through ${tofu.reason}`,
  () => {
    let fixture: FixtureUpstream | undefined;
    let temp: TempDir;
    let serve: ServeProcess | undefined;
    let dataDir: string;
    let config: string;

    async function init(name: string): Promise<{ dir: string; output: string; lock: string }> {
      const dir = join(temp.path, name);
      await mkdir(dir);
      await writeFile(join(dir, "main.tf"), MAIN_TF);
      const result = await runTofu(["init", "-input=false"], {
        cwd: dir,
        cliConfigFile: config,
        env: { SSL_CERT_FILE: join(dataDir, "tls", "ca-bundle.pem") },
      });
      expect(result.code, result.output).toBe(0);
      return { dir, output: result.output, lock: await readFile(join(dir, ".terraform.lock.hcl"), "utf8") };
    }

    beforeAll(async () => {
      temp = await makeTempDir("e2e-network-mirror-pull-through");
      dataDir = join(temp.path, "data");
      const upstream = await startFixtureUpstream();
      fixture = upstream;
      serve = await startLarderServe([
        ...["--data-dir", dataDir, "--port", "0", "--https-port", "0", "--pull-through"],
        ...["--upstream", `registry.terraform.io=${upstream.url}`],
        ...["--upstream", `registry.opentofu.org=${upstream.url}`],
      ]);
      config = await writeTerraformrc(serve, dataDir, "network-mirror", join(temp.path, "mirror.tfrc"));
    });

    afterAll(async () => {
      await serve?.stop();
      await fixture?.stop();
      await temp.remove();
    });

    it("fills an empty mirror on demand, then installs the same again with the upstream stopped", async () => {
      const first = await init("first");
      expect(first.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v1\.1\.0/);
      expect(first.output).toMatch(/Installed fixture\/beta v0\.3\.0/);
      if (!serve) throw new Error("larder serve did not start");
      expect(await (await fetch(`${serve.httpUrl}/metrics`)).text()).toMatch(
        /larder_served_packages_total\{kind="provider",result="pull_through"\} 2/,
      );
      // tofu's own h1 of what it installed equals the one Larder computed when it verified and stored it.
      const stored = (await (
        await fetch(`${serve.httpUrl}/providers/registry.terraform.io/fixture/alpha/1.1.0.json`)
      ).json()) as { archives: Record<string, { hashes?: string[] }> };
      const h1 = stored.archives.linux_amd64?.hashes?.[0] ?? "missing";
      expect(first.lock).toContain(h1);

      await fixture?.stop();
      const second = await init("second");
      // Through a network mirror tofu records the h1 it computes itself: the same packages, the same lock.
      expect(second.lock).toBe(first.lock);
    });
  },
);
