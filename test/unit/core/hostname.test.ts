import { describe, expect, it } from "vitest";
import { normalizeHostname } from "../../../main/core/hostname.js";
import { errorOf } from "../../helpers/expect-larder-error.js";

describe("normalizeHostname", () => {
  it.each([
    ["registry.terraform.io", "registry.terraform.io"],
    ["Registry.Terraform.IO", "registry.terraform.io"],
    ["  registry.opentofu.org  ", "registry.opentofu.org"],
    ["BÜCHER.example", "xn--bcher-kva.example"],
    ["münchen.de:8080", "xn--mnchen-3ya.de:8080"],
    ["例え.テスト", "xn--r8jz45g.xn--zckzah"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["example.com:443", "example.com"],
    ["EXAMPLE.com:443", "example.com"],
    ["example.com:0443", "example.com"],
    ["example.com:8443", "example.com:8443"],
    ["example.com:08443", "example.com:8443"],
    ["localhost:7373", "localhost:7373"],
    ["127.0.0.1:7373", "127.0.0.1:7373"],
    ["localhost", "localhost"],
    ["example.com:65535", "example.com:65535"],
    ["example.com:1", "example.com:1"],
  ])("normalises %j to %j", (input, expected) => {
    expect(normalizeHostname(input)).toBe(expected);
  });

  it("gives one key for every spelling of the same host", () => {
    const spellings = [
      "Bücher.Example",
      "BÜCHER.example:443",
      "xn--BCHER-kva.example",
      "bücher.example:0443",
    ];
    expect(new Set(spellings.map(normalizeHostname))).toEqual(new Set(["xn--bcher-kva.example"]));
  });

  it.each([
    ["", /Invalid registry host "": expected a host name such as registry\.terraform\.io/],
    ["   ", /expected a host name/],
    ["https://example.com", /Invalid registry host "https:\/\/example\.com": expected a host name/],
    ["example.com/v1", /expected a host name/],
    ["exa mple.com", /expected a host name/],
    ["example.com:", /expected a host name/],
    ["example.com:http", /expected a host name/],
    ["example.com:123456", /expected a host name/],
    ["example.com:1:2", /expected a host name/],
    ["[::1]:7373", /expected a host name/],
    ["example.com:0", /port 0 is out of range/],
    ["registry..example.com", /is not a valid host name/],
    [".example.com", /is not a valid host name/],
    ["example.com:65536", /port 65536 is out of range/],
    ["example.com:99999", /port 99999 is out of range/],
    [".example.com", /"\.example\.com" is not a valid host name/],
    ["example.com.", /"example\.com\." is not a valid host name/],
    ["ex%ample.com", /is not a valid host name/],
    ["a<b.com", /is not a valid host name/],
    ["xn--zz", /"xn--zz" is not a valid host name/],
  ])("refuses %j", (input, message) => {
    const error = errorOf(() => normalizeHostname(input));
    expect(error.code).toBe("invalid_input");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
