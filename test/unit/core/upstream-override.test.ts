import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { parseUpstreamOverride, parseUpstreamOverrides } from "../../../main/core/upstream-override.js";

describe("parseUpstreamOverride", () => {
  it.each([
    ["registry.terraform.io=http://127.0.0.1:9000", "registry.terraform.io", "http://127.0.0.1:9000"],
    ["registry.terraform.io=http://127.0.0.1:9000/", "registry.terraform.io", "http://127.0.0.1:9000"],
    [
      "Registry.Terraform.IO:443=https://mirror.internal.example",
      "registry.terraform.io",
      "https://mirror.internal.example",
    ],
    ["BÜCHER.example=https://mirror.example/base//", "xn--bcher-kva.example", "https://mirror.example/base"],
    ["localhost:8443=https://127.0.0.1:8443/sub/", "localhost:8443", "https://127.0.0.1:8443/sub"],
    [" example.com = https://x.example/a=b ", "example.com", "https://x.example/a=b"],
    ["example.com=HTTPS://X.Example", "example.com", "https://x.example"],
  ])("parses %j", (input, host, baseUrl) => {
    expect(parseUpstreamOverride(input)).toEqual({ host, baseUrl });
  });

  it.each([
    [
      "registry.terraform.io",
      /Invalid upstream "registry\.terraform\.io": expected HOST=URL, e\.g\. registry\.terraform\.io=https:/,
    ],
    ["=http://127.0.0.1:9000", /Invalid upstream "=http:\/\/127\.0\.0\.1:9000": expected HOST=URL/],
    ["example.com=", /Invalid upstream "example\.com=": "" is not an absolute URL\./],
    ["example.com=127.0.0.1:9000/x", /"127\.0\.0\.1:9000\/x" is not an absolute URL/],
    ["example.com=/relative", /"\/relative" is not an absolute URL/],
    [
      "example.com=ftp://mirror.example",
      /Invalid upstream "example\.com=ftp:\/\/mirror\.example": the URL must be http: or https:\./,
    ],
    ["example.com=file:///srv/mirror", /the URL must be http: or https:/],
    ["bad host=http://x.example", /Invalid registry host "bad host"/],
    ["example.com:0=http://x.example", /port 0 is out of range/],
  ])("refuses %j", (input, message) => {
    expect(() => parseUpstreamOverride(input)).toThrow(LarderError);
    expect(() => parseUpstreamOverride(input)).toThrow(message);
  });
});

describe("parseUpstreamOverrides", () => {
  it("splits comma-separated lists, skips empty pieces and lets later entries for the same host win", () => {
    const overrides = parseUpstreamOverrides([
      "registry.terraform.io=http://127.0.0.1:1",
      "registry.opentofu.org=http://127.0.0.1:2, , example.com=http://127.0.0.1:3,",
      "",
      "REGISTRY.terraform.io:443=http://127.0.0.1:4/",
    ]);
    expect(overrides).toEqual(
      new Map([
        ["registry.terraform.io", "http://127.0.0.1:4"],
        ["registry.opentofu.org", "http://127.0.0.1:2"],
        ["example.com", "http://127.0.0.1:3"],
      ]),
    );
  });

  it("returns no overrides for no input, and refuses the list if any entry is bad", () => {
    expect(parseUpstreamOverrides([]).size).toBe(0);
    expect(() => parseUpstreamOverrides(["a.example=http://x", "b.example"])).toThrow(
      /Invalid upstream "b\.example"/,
    );
  });
});
