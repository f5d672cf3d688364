import { describe, expect, it } from "vitest";
import { renderCliConfig, type CliConfigOptions } from "../../../main/engine/cli-config.js";

const base: Omit<CliConfigOptions, "tool" | "mode"> = {
  httpBaseUrl: "http://127.0.0.1:7373",
  httpsBaseUrl: "https://127.0.0.1:7374",
  extraHosts: [],
  caCertPath: "/data/larder/tls/ca.pem",
  trustBundlePath: "/data/larder/tls/trust-bundle.pem",
};

/** The `host "<name>" { services = { ... } }` blocks of a rendered config, as host → service → URL. */
function hostBlocks(config: string): Map<string, Map<string, string>> {
  const blocks = new Map<string, Map<string, string>>();
  for (const match of config.matchAll(
    /^host "([^"]+)" \{\n {2}services = \{\n((?: {4}"[^"]+" = "[^"]*"\n)*) {2}\}\n\}$/gm,
  )) {
    const services = new Map<string, string>();
    for (const line of (match[2] ?? "").matchAll(/"([^"]+)" = "([^"]*)"/g))
      services.set(line[1] ?? "", line[2] ?? "");
    blocks.set(match[1] ?? "", services);
  }
  return blocks;
}

describe("renderCliConfig, host mode", () => {
  it.each([
    ["tofu", ["registry.opentofu.org", "registry.terraform.io"]],
    ["terraform", ["registry.terraform.io"]],
  ] as const)("routes the default registries of %s through Larder over plain HTTP", (tool, hosts) => {
    const config = renderCliConfig({ ...base, tool, mode: "host" });
    const blocks = hostBlocks(config);
    expect([...blocks.keys()]).toEqual(hosts);
    for (const host of hosts) {
      expect(blocks.get(host)).toEqual(
        new Map([
          ["providers.v1", `http://127.0.0.1:7373/v1/providers/${host}/`],
          ["modules.v1", `http://127.0.0.1:7373/v1/modules/${host}/`],
        ]),
      );
    }
    expect(config).not.toContain("provider_installation");
    expect(config).not.toContain("https://");
    expect(config).toContain("disable_checkpoint = true");
  });

  it("adds a block per extra upstream host, once even when it repeats a default", () => {
    const config = renderCliConfig({
      ...base,
      tool: "terraform",
      mode: "host",
      extraHosts: ["private.example.com", "registry.terraform.io", "localhost:8443", "private.example.com"],
    });
    const blocks = hostBlocks(config);
    expect([...blocks.keys()]).toEqual(["registry.terraform.io", "private.example.com", "localhost:8443"]);
    expect(blocks.get("localhost:8443")?.get("providers.v1")).toBe(
      "http://127.0.0.1:7373/v1/providers/localhost:8443/",
    );
    expect(config.match(/^host "/gm)).toHaveLength(3);
  });

  it("ends every service URL in /, so clients append paths instead of replacing the last segment", () => {
    const config = renderCliConfig({ ...base, tool: "tofu", mode: "host", extraHosts: ["a.example"] });
    const urls = [...hostBlocks(config).values()].flatMap((services) => [...services.values()]);
    expect(urls).toHaveLength(6);
    for (const url of urls)
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:7373\/v1\/(providers|modules)\/[^/]+\/$/);
  });

  it("names the file each tool reads", () => {
    expect(renderCliConfig({ ...base, tool: "tofu", mode: "host" })).toContain("~/.tofurc");
    expect(renderCliConfig({ ...base, tool: "terraform", mode: "host" })).toContain("~/.terraformrc");
    expect(renderCliConfig({ ...base, tool: "tofu", mode: "host" })).toContain("export TF_CLI_CONFIG_FILE=");
  });
});

describe("renderCliConfig, network-mirror mode", () => {
  const config = renderCliConfig({
    ...base,
    tool: "tofu",
    mode: "network-mirror",
    extraHosts: ["private.example.com"],
  });

  it("installs providers from Larder's HTTPS mirror at a URL ending in /providers/", () => {
    expect(config).toMatch(
      /^provider_installation \{\n {2}network_mirror \{\n {4}url = "https:\/\/127\.0\.0\.1:7374\/providers\/"\n {2}\}\n\}$/m,
    );
  });

  it("keeps modules on host blocks with only modules.v1, since modules have no mirror protocol", () => {
    const blocks = hostBlocks(config);
    expect([...blocks.keys()]).toEqual([
      "registry.opentofu.org",
      "registry.terraform.io",
      "private.example.com",
    ]);
    for (const [host, services] of blocks) {
      expect(services).toEqual(new Map([["modules.v1", `http://127.0.0.1:7373/v1/modules/${host}/`]]));
    }
  });

  it("tells how to trust Larder's CA on Linux, macOS and Windows with the real paths", () => {
    const lines = config.split("\n");
    const line = (prefix: string): string => lines.find((text) => text.startsWith(prefix)) ?? "";
    expect(line("#   Linux:")).toBe("#   Linux:   export SSL_CERT_FILE=/data/larder/tls/trust-bundle.pem");
    expect(config).toContain(
      "sudo cp /data/larder/tls/ca.pem /usr/local/share/ca-certificates/larder.crt && sudo update-ca-certificates",
    );
    expect(line("#   macOS:")).toBe(
      "#   macOS:   sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain /data/larder/tls/ca.pem",
    );
    expect(line("#   Windows:")).toBe("#   Windows: certutil -user -addstore Root /data/larder/tls/ca.pem");
    expect(config).toContain("system roots plus Larder's CA");
  });

  it("only differs in tool name and default hosts for terraform", () => {
    const terraform = renderCliConfig({ ...base, tool: "terraform", mode: "network-mirror" });
    expect([...hostBlocks(terraform).keys()]).toEqual(["registry.terraform.io"]);
    expect(terraform).toContain('url = "https://127.0.0.1:7374/providers/"');
    expect(terraform).toContain("--tool terraform --mode network-mirror");
  });
});
