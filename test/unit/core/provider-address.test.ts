import { describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/expect-larder-error.js";
import {
  DEFAULT_REGISTRY_HOST,
  formatProviderAddress,
  normalizeProviderPart,
  parseProviderAddress,
  type ProviderAddress,
} from "../../../main/core/provider-address.js";

describe("parseProviderAddress", () => {
  it("defaults a two-part address to registry.terraform.io, as terraform does", () => {
    expect(DEFAULT_REGISTRY_HOST).toBe("registry.terraform.io");
    expect(parseProviderAddress("hashicorp/aws")).toEqual({
      host: "registry.terraform.io",
      namespace: "hashicorp",
      type: "aws",
    });
  });

  it.each<[string, ProviderAddress]>([
    [
      "registry.opentofu.org/hashicorp/null",
      { host: "registry.opentofu.org", namespace: "hashicorp", type: "null" },
    ],
    ["HashiCorp/AWS", { host: "registry.terraform.io", namespace: "hashicorp", type: "aws" }],
    ["Registry.Example.COM/Acme/Widget", { host: "registry.example.com", namespace: "acme", type: "widget" }],
    [
      "registry.example.com:443/acme/widget",
      { host: "registry.example.com", namespace: "acme", type: "widget" },
    ],
    ["localhost:8443/acme/widget", { host: "localhost:8443", namespace: "acme", type: "widget" }],
    ["BÜCHER.example/acme/widget", { host: "xn--bcher-kva.example", namespace: "acme", type: "widget" }],
    [
      "  hashicorp/google-beta  ",
      { host: "registry.terraform.io", namespace: "hashicorp", type: "google-beta" },
    ],
    [
      "terraform-aws-modules/x",
      { host: "registry.terraform.io", namespace: "terraform-aws-modules", type: "x" },
    ],
    ["a1/b2", { host: "registry.terraform.io", namespace: "a1", type: "b2" }],
  ])("parses %j", (input, expected) => {
    expect(parseProviderAddress(input)).toEqual(expected);
  });

  it("accepts 64-character segments and refuses 65", () => {
    const long = `a${"b".repeat(62)}c`;
    expect(parseProviderAddress(`${long}/${long}`)).toMatchObject({ namespace: long, type: long });
    expect(() => parseProviderAddress(`${long}x/aws`)).toThrow(/Invalid provider namespace/);
    expect(() => parseProviderAddress(`hashicorp/${long}x`)).toThrow(/Invalid provider type/);
  });

  it("refuses a type with the terraform-provider- prefix and names the type to use instead", () => {
    const error = errorOf(() => parseProviderAddress("hashicorp/terraform-provider-aws"));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(
      'Invalid provider address "hashicorp/terraform-provider-aws": the type is "aws", without the terraform-provider- prefix.',
    );
    expect(() => parseProviderAddress("example.com/acme/terraform-provider-widget")).toThrow(
      /the type is "widget"/,
    );
  });

  it.each([
    [
      "aws",
      /Invalid provider address "aws": expected NAMESPACE\/TYPE or HOST\/NAMESPACE\/TYPE, e\.g\. hashicorp\/aws\./,
    ],
    ["", /Invalid provider address "": expected NAMESPACE\/TYPE/],
    ["a/b/c/d", /expected NAMESPACE\/TYPE or HOST\/NAMESPACE\/TYPE/],
    ["hashicorp//aws", /expected NAMESPACE\/TYPE/],
    ["/aws", /expected NAMESPACE\/TYPE/],
    ["hashicorp/", /expected NAMESPACE\/TYPE/],
    ["example.com/hashicorp/", /expected NAMESPACE\/TYPE/],
    ["hashicorp/-aws", /Invalid provider type "-aws": use 1-64 letters, digits and single hyphens/],
    ["hashicorp/aws-", /Invalid provider type "aws-"/],
    ["hashicorp/a--ws", /Invalid provider type "a--ws"/],
    ["hashicorp/a_ws", /Invalid provider type "a_ws"/],
    ["hashicorp/a.ws", /Invalid provider type "a\.ws"/],
    ["hashi_corp/aws", /Invalid provider namespace "hashi_corp"/],
    ["Hashi Corp/aws", /Invalid provider namespace "Hashi Corp"/],
    ["-hashicorp/aws", /Invalid provider namespace "-hashicorp"/],
    ["https:/hashicorp/aws", /Invalid registry host "https:"/],
    ["example.com:0/hashicorp/aws", /port 0 is out of range/],
  ])("refuses %j", (input, message) => {
    const error = errorOf(() => parseProviderAddress(input));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(message);
  });
});

describe("normalizeProviderPart", () => {
  it("lower-cases valid segments and keeps the original spelling in the refusal", () => {
    expect(normalizeProviderPart("HashiCorp", "namespace")).toBe("hashicorp");
    expect(normalizeProviderPart("9", "type")).toBe("9");
    expect(() => normalizeProviderPart("Bad_Name", "namespace")).toThrow(
      'Invalid provider namespace "Bad_Name": use 1-64 letters, digits and single hyphens, starting and ending with a letter or digit.',
    );
  });
});

describe("formatProviderAddress", () => {
  it("prints host/namespace/type as terraform does, and parses back to the same address", () => {
    const address = parseProviderAddress("Localhost:8443/Acme/Widget");
    const text = formatProviderAddress(address);
    expect(text).toBe("localhost:8443/acme/widget");
    expect(parseProviderAddress(text)).toEqual(address);
    expect(formatProviderAddress(parseProviderAddress("hashicorp/aws"))).toBe(
      "registry.terraform.io/hashicorp/aws",
    );
  });
});
