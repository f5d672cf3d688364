import { describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/expect-larder-error.js";
import {
  formatModuleAddress,
  parseModuleAddress,
  tryParseModuleAddress,
  type ModuleAddressWithSubdir,
} from "../../../main/core/module-address.js";

// Expectations follow hashicorp/terraform-registry-address module.go (ParseModuleSource) and the
// protocol notes §6.1; the subdir split follows go-getter's SourceDirSubdir.
const vpc = (host: string, subdir = ""): ModuleAddressWithSubdir => ({
  address: { host, namespace: "terraform-aws-modules", name: "vpc", system: "aws" },
  subdir,
});

describe("parseModuleAddress", () => {
  it.each<[string, ModuleAddressWithSubdir]>([
    ["terraform-aws-modules/vpc/aws", vpc("registry.terraform.io")],
    ["registry.terraform.io/terraform-aws-modules/vpc/aws", vpc("registry.terraform.io")],
    ["Registry.OpenTofu.ORG/terraform-aws-modules/vpc/aws", vpc("registry.opentofu.org")],
    ["registry.local.test:8443/terraform-aws-modules/vpc/aws", vpc("registry.local.test:8443")],
    ["registry.local.test:443/terraform-aws-modules/vpc/aws", vpc("registry.local.test")],
    ["  terraform-aws-modules/vpc/aws  ", vpc("registry.terraform.io")],
    ["terraform-aws-modules/vpc/aws//modules/endpoints", vpc("registry.terraform.io", "modules/endpoints")],
    ["example.com/terraform-aws-modules/vpc/aws//a/b/", vpc("example.com", "a/b")],
  ])("parses %s", (input, expected) => {
    expect(parseModuleAddress(input)).toEqual(expected);
  });

  it("uses the default host parameter only for host-less addresses", () => {
    expect(parseModuleAddress("terraform-aws-modules/vpc/aws", "registry.opentofu.org")).toEqual(
      vpc("registry.opentofu.org"),
    );
    expect(parseModuleAddress("example.com/terraform-aws-modules/vpc/aws", "registry.opentofu.org")).toEqual(
      vpc("example.com"),
    );
  });

  it("keeps the case of namespace and name, as terraform does not normalise them", () => {
    expect(parseModuleAddress("HashiCorp/Consul_Cluster/aws").address).toEqual({
      host: "registry.terraform.io",
      namespace: "HashiCorp",
      name: "Consul_Cluster",
      system: "aws",
    });
  });

  it("accepts namespace and name at the length and character limits", () => {
    const longest = `a${"-".repeat(62)}b`;
    expect(longest).toHaveLength(64);
    expect(parseModuleAddress(`${longest}/${longest}/${"x".repeat(64)}`).address.name).toBe(longest);
    expect(parseModuleAddress("a/b_c-d/z9").address).toMatchObject({ namespace: "a", name: "b_c-d" });
  });

  it.each<[string, string]>([
    ["terraform-aws-modules/vpc", "expected NAMESPACE/NAME/SYSTEM or HOST/NAMESPACE/NAME/SYSTEM"],
    ["a/b/c/d/e", "expected NAMESPACE/NAME/SYSTEM or HOST/NAMESPACE/NAME/SYSTEM"],
    ["", "expected NAMESPACE/NAME/SYSTEM"],
    ["localhost:8443/acme/network/aws", 'the registry host "localhost:8443" must contain a dot'],
    ["localhost/acme/network/aws", "must contain a dot"],
    ["github.com/hashicorp/example/aws", "github.com is not a module registry; use a git source instead"],
    ["GitHub.com/hashicorp/example/aws", "github.com is not a module registry"],
    ["bitbucket.org/hashicorp/example/aws", "bitbucket.org is not a module registry"],
    ["bad host!/a/b/c", '"bad host!" is not a valid host name'],
    ["example.com:99999/a/b/c", '"example.com:99999" is not a valid host name'],
    ["hashicorp/consul/aws?ref=v1", "a registry address has no query string"],
    ["hashicorp/consul/aws//sub?x=1", "a registry address has no query string"],
    ["hashicorp/consul/AWS", '"AWS" is not a valid target system (lower-case letters and digits)'],
    ["hashicorp/consul/aws-2", '"aws-2" is not a valid target system'],
    [`hashicorp/consul/${"a".repeat(65)}`, "is not a valid target system"],
    ["hashicorp/consul/", '"" is not a valid target system'],
    ["-hashicorp/consul/aws", '"-hashicorp" is not a valid namespace'],
    ["hashicorp_/consul/aws", '"hashicorp_" is not a valid namespace'],
    ["hashi.corp/consul/aws", '"hashi.corp" is not a valid namespace'],
    [`${"a".repeat(65)}/consul/aws`, "is not a valid namespace"],
    ["hashicorp/con sul/aws", '"con sul" is not a valid module name'],
    ["hashicorp/consul-/aws", '"consul-" is not a valid module name'],
    ["hashicorp//aws", "expected NAMESPACE/NAME/SYSTEM"], // "//" starts the subdir, as in module.go
    ["hashicorp/consul/aws//../escape", "the subdirectory may not contain '..'"],
    ["hashicorp/consul/aws//modules/../../escape", "the subdirectory may not contain '..'"],
  ])("refuses %j", (input, reason) => {
    const error = errorOf(() => parseModuleAddress(input));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain(`Invalid module address "${input}": `);
    expect(error.message).toContain(reason);
  });
});

describe("tryParseModuleAddress", () => {
  it.each<[string, string]>([
    ["localhost:8443/acme/network/aws", "must contain a dot"],
    ["github.com/hashicorp/example/aws", "github.com is not a module registry"],
    ["bitbucket.org/hashicorp/example/aws", "bitbucket.org is not a module registry"],
    ["hashicorp/consul/aws?ref=v1", "no query string"],
    ["hashicorp/consul/AWS", "is not a valid target system"],
    ["hashicorp/consul/aws//../x", "may not contain '..'"],
    ["./modules/vpc", '"." is not a valid namespace'],
    ["git::https://example.com/vpc.git", "expected NAMESPACE/NAME/SYSTEM"],
    ["https://example.com/vpc.zip", "expected NAMESPACE/NAME/SYSTEM"],
  ])("returns the reason for %j instead of throwing", (input, reason) => {
    const result = tryParseModuleAddress(input);
    expect(typeof result).toBe("string");
    expect(result).toContain(reason);
  });

  it("returns the parsed address for a valid one, with the default host given", () => {
    expect(tryParseModuleAddress("terraform-aws-modules/vpc/aws//x", "registry.opentofu.org")).toEqual(
      vpc("registry.opentofu.org", "x"),
    );
  });
});

describe("formatModuleAddress", () => {
  it("writes host/namespace/name/system, keeping case", () => {
    expect(
      formatModuleAddress({ host: "example.com:8443", namespace: "Acme", name: "Net", system: "aws" }),
    ).toBe("example.com:8443/Acme/Net/aws");
    expect(formatModuleAddress(parseModuleAddress("terraform-aws-modules/vpc/aws//sub").address)).toBe(
      "registry.terraform.io/terraform-aws-modules/vpc/aws",
    );
  });
});
