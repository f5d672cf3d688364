import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import {
  formatPlatform,
  isValidPlatformSegment,
  parsePlatform,
  parsePlatformName,
  platformOf,
  type Platform,
} from "../../../main/core/platform.js";
import { errorOf } from "../../helpers/expect-larder-error.js";

describe("parsePlatform", () => {
  it.each<[string, Platform]>([
    ["linux_amd64", { os: "linux", arch: "amd64" }],
    ["darwin_arm64", { os: "darwin", arch: "arm64" }],
    ["windows_386", { os: "windows", arch: "386" }],
    ["Linux_AMD64", { os: "linux", arch: "amd64" }],
    [" freebsd_arm ", { os: "freebsd", arch: "arm" }],
    ["wasip1_wasm", { os: "wasip1", arch: "wasm" }],
    ["linux_loong64", { os: "linux", arch: "loong64" }],
  ])("parses %j", (input, expected) => {
    expect(parsePlatform(input)).toEqual(expected);
    expect(formatPlatform(parsePlatform(input))).toBe(`${expected.os}_${expected.arch}`);
  });

  it.each([
    "",
    "linux",
    "linux-amd64",
    "linux_amd64_v2",
    "_amd64",
    "linux_",
    "linux amd64",
    "../etc_passwd",
    "linux/amd64",
  ])("refuses %j with the expected form in the message", (input) => {
    expect(() => parsePlatform(input)).toThrow(LarderError);
    expect(() => parsePlatform(input)).toThrow(
      `Invalid platform "${input}": expected OS_ARCH such as linux_amd64, darwin_arm64 or windows_amd64.`,
    );
  });
});

describe("parsePlatform with names Go does not know", () => {
  it.each([
    ["foo_bar", 'unknown OS "foo" and unknown architecture "bar"'],
    ["linux_amd46", 'unknown architecture "amd46"'],
    ["linx_amd64", 'unknown OS "linx"'],
  ])("refuses %j, naming what is wrong and listing the valid names", (input, problem) => {
    const message = errorOf(() => parsePlatform(input)).message;
    expect(message).toContain(`Invalid platform "${input}": ${problem}.`);
    expect(message).toContain(
      "Valid OS names: aix, android, darwin, dragonfly, freebsd, illumos, ios, js, linux, netbsd, openbsd, " +
        "plan9, solaris, wasip1, windows.",
    );
    expect(message).toContain(
      "Valid architectures: 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, " +
        "riscv64, s390x, wasm.",
    );
  });

  it("leaves other lower-case words to parsePlatformName, for what registries and the mirror list", () => {
    expect(parsePlatformName("foo_bar")).toEqual({ os: "foo", arch: "bar" });
    expect(() => parsePlatformName("linux")).toThrow(`Invalid platform "linux": expected OS_ARCH`);
  });
});

describe("isValidPlatformSegment", () => {
  it.each([
    ["amd64", true],
    ["386", true],
    ["linux", true],
    ["AMD64", false],
    ["", false],
    ["x86_64", false],
    ["..", false],
    ["arm/v7", false],
  ])("%j → %j", (value, expected) => {
    expect(isValidPlatformSegment(value)).toBe(expected);
  });
});

describe("platformOf", () => {
  it.each([
    ["linux", "x64", "linux_amd64"],
    ["linux", "arm64", "linux_arm64"],
    ["linux", "arm", "linux_arm"],
    ["linux", "ia32", "linux_386"],
    ["darwin", "x64", "darwin_amd64"],
    ["darwin", "arm64", "darwin_arm64"],
    ["win32", "x64", "windows_amd64"],
    ["win32", "ia32", "windows_386"],
    ["win32", "arm64", "windows_arm64"],
    ["freebsd", "x64", "freebsd_amd64"],
  ])("Node %s/%s installs as %s", (nodePlatform, nodeArch, expected) => {
    expect(formatPlatform(platformOf(nodePlatform, nodeArch))).toBe(expected);
  });
});
