import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runLarder } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, TempDirs } from "./cli-support.js";

const dirs = new TempDirs("cli-tfrc");

afterEach(async () => {
  await dirs.removeAll();
});

/** The `host "H" { services = { "S" = "URL" } }` entries of a config, as "H S URL". */
function services(config: string): string[] {
  const found: string[] = [];
  for (const block of config.matchAll(/^host "([^"]+)" \{\n {2}services = \{\n((?: {4}.*\n)*) {2}\}\n\}/gm)) {
    for (const entry of (block[2] ?? "").matchAll(/"([^"]+)" = "([^"]+)"/g)) {
      found.push(`${block[1] ?? ""} ${entry[1] ?? ""} ${entry[2] ?? ""}`);
    }
  }
  return found;
}

async function terraformrc(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): ReturnType<typeof runLarder> {
  return runLarder(["terraformrc", ...args, "--data-dir", await dirs.make()], env);
}

describe("larder terraformrc: host mode", () => {
  it("--tool tofu overrides registry.opentofu.org and registry.terraform.io on the given --port", async () => {
    const result = await terraformrc(["--tool", "tofu", "--port", "9123"]);
    expect(result.code, result.stderr).toBe(0);
    expect(services(result.stdout)).toEqual([
      "registry.opentofu.org providers.v1 http://127.0.0.1:9123/v1/providers/registry.opentofu.org/",
      "registry.opentofu.org modules.v1 http://127.0.0.1:9123/v1/modules/registry.opentofu.org/",
      "registry.terraform.io providers.v1 http://127.0.0.1:9123/v1/providers/registry.terraform.io/",
      "registry.terraform.io modules.v1 http://127.0.0.1:9123/v1/modules/registry.terraform.io/",
    ]);
    expect(result.stdout).not.toMatch(/provider_installation/);
    expect(result.stdout).toMatch(/TF_CLI_CONFIG_FILE/);
  });

  it("takes the port from LARDER_PORT, and --port wins over it", async () => {
    const fromEnv = await terraformrc(["--tool", "tofu"], { LARDER_PORT: "8111" });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toContain(
      `"providers.v1" = "http://127.0.0.1:8111/v1/providers/registry.opentofu.org/"`,
    );
    const flagWins = await terraformrc(["--tool", "tofu", "--port", "8222"], { LARDER_PORT: "8111" });
    expect(flagWins.stdout).toContain("http://127.0.0.1:8222/v1/providers/registry.terraform.io/");
    expect(flagWins.stdout).not.toContain(":8111");
  });

  it("defaults to terraform, registry.terraform.io only, on port 7373", async () => {
    const result = await terraformrc([]);
    expect(result.code, result.stderr).toBe(0);
    expect(services(result.stdout)).toEqual([
      "registry.terraform.io providers.v1 http://127.0.0.1:7373/v1/providers/registry.terraform.io/",
      "registry.terraform.io modules.v1 http://127.0.0.1:7373/v1/modules/registry.terraform.io/",
    ]);
  });

  it("adds a block for every host in LARDER_UPSTREAMS", async () => {
    const result = await terraformrc(["--tool", "tofu", "--port", "7000"], {
      LARDER_UPSTREAMS: "registry.example.com=http://127.0.0.1:9",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(services(result.stdout)).toContain(
      "registry.example.com providers.v1 http://127.0.0.1:7000/v1/providers/registry.example.com/",
    );
  });

  it("adds none for redirected hosts that are not registries (OpenTofu's catalog API, GitHub)", async () => {
    const result = await terraformrc(["--tool", "tofu", "--port", "7000"], {
      LARDER_UPSTREAMS: "api.opentofu.org=http://127.0.0.1:9,github.com=http://127.0.0.1:9",
    });
    expect(result.code, result.stderr).toBe(0);
    const hosts = services(result.stdout).map((line) => line.split(" ")[0]);
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts).not.toContain("api.opentofu.org");
    expect(hosts).not.toContain("github.com");
  });
});

describe("larder terraformrc: network-mirror mode", () => {
  it("points the network mirror at the HTTPS port and says how to trust Larder's CA", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder([
      "terraformrc",
      "--tool",
      "tofu",
      "--mode",
      "network-mirror",
      "--port",
      "9301",
      "--https-port",
      "9443",
      "--data-dir",
      dataDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /provider_installation \{\n {2}network_mirror \{\n {4}url = "https:\/\/127\.0\.0\.1:9443\/providers\/"\n/,
    );
    // Modules still go through host blocks, over HTTP, and providers.v1 is left to the network mirror.
    expect(services(result.stdout)).toEqual([
      "registry.opentofu.org modules.v1 http://127.0.0.1:9301/v1/modules/registry.opentofu.org/",
      "registry.terraform.io modules.v1 http://127.0.0.1:9301/v1/modules/registry.terraform.io/",
    ]);

    const bundlePath = /SSL_CERT_FILE=(\S+)/.exec(result.stdout)?.[1];
    expect(bundlePath).toBe(join(dataDir, "tls", "ca-bundle.pem"));
    const bundle = await readFile(bundlePath ?? "", "utf8");
    const caPem = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    const ca = new X509Certificate(caPem);
    expect(ca.ca).toBe(true);
    expect(bundle).toContain(caPem.trim());
    expect(result.stdout).toContain(join(dataDir, "tls", "ca.pem"));
  });

  it("takes the HTTPS port from LARDER_HTTPS_PORT", async () => {
    const result = await terraformrc(["--mode", "network-mirror"], { LARDER_HTTPS_PORT: "9555" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`url = "https://127.0.0.1:9555/providers/"`);
  });

  it("keeps the same CA across runs, so a CA trusted once stays trusted", async () => {
    const dataDir = await dirs.make();
    expect((await runLarder(["terraformrc", "--mode", "network-mirror", "--data-dir", dataDir])).code).toBe(
      0,
    );
    const first = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    expect((await runLarder(["terraformrc", "--mode", "network-mirror", "--data-dir", dataDir])).code).toBe(
      0,
    );
    expect(await readFile(join(dataDir, "tls", "ca.pem"), "utf8")).toBe(first);
  });
});

describe("larder terraformrc: invalid input", () => {
  it("an unknown --tool exits 2 with a one-line reason", async () => {
    const result = await terraformrc(["--tool", "pulumi"]);
    expectOneLineFailure(result, /Invalid --tool "pulumi"/, /terraform or tofu/);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });

  it("an unknown --mode exits 2 with a one-line reason", async () => {
    const result = await terraformrc(["--mode", "mirror"]);
    expectOneLineFailure(result, /Invalid --mode "mirror"/, /host or network-mirror/);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });

  it("a port that is not a port exits 2 naming where it came from", async () => {
    expectOneLineFailure(await terraformrc(["--port", "70000"]), /Invalid port "70000"/, /command line/);
    expectOneLineFailure(
      await terraformrc([], { LARDER_HTTPS_PORT: "https" }),
      /Invalid port "https"/,
      /LARDER_HTTPS_PORT/,
    );
  });
});
