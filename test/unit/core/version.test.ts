import { describe, expect, it } from "vitest";
import {
  compareVersions,
  formatVersion,
  parseVersion,
  sortVersionStrings,
  type Version,
} from "../../../main/core/version.js";

function version(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test setup: "${text}" should parse`);
  return parsed;
}

describe("parseVersion", () => {
  it.each<[string, Version]>([
    ["0.0.0", { major: 0, minor: 0, patch: 0, prerelease: "", metadata: "" }],
    ["1.2.3", { major: 1, minor: 2, patch: 3, prerelease: "", metadata: "" }],
    ["10.20.30", { major: 10, minor: 20, patch: 30, prerelease: "", metadata: "" }],
    ["1.2.3-beta.1", { major: 1, minor: 2, patch: 3, prerelease: "beta.1", metadata: "" }],
    ["1.2.3-beta1", { major: 1, minor: 2, patch: 3, prerelease: "beta1", metadata: "" }],
    ["1.0.0-alpha-1", { major: 1, minor: 0, patch: 0, prerelease: "alpha-1", metadata: "" }],
    ["1.0.0-0A.is.legal", { major: 1, minor: 0, patch: 0, prerelease: "0A.is.legal", metadata: "" }],
    ["1.0.0-0", { major: 1, minor: 0, patch: 0, prerelease: "0", metadata: "" }],
    ["1.2.3+build", { major: 1, minor: 2, patch: 3, prerelease: "", metadata: "build" }],
    ["1.0.0+001", { major: 1, minor: 0, patch: 0, prerelease: "", metadata: "001" }],
    ["1.2.3-rc.1+build.5", { major: 1, minor: 2, patch: 3, prerelease: "rc.1", metadata: "build.5" }],
    ["1.2.3-x-y+z-w", { major: 1, minor: 2, patch: 3, prerelease: "x-y", metadata: "z-w" }],
  ])("parses %j", (text, expected) => {
    expect(parseVersion(text)).toEqual(expected);
  });

  it.each([
    ["", "empty"],
    ["1", "one part"],
    ["1.2", "two parts"],
    ["1.2.3.4", "four parts"],
    ["v1.2.3", "v prefix"],
    ["V1.2.3", "V prefix"],
    ["01.2.3", "leading zero in major"],
    ["1.02.3", "leading zero in minor"],
    ["1.2.03", "leading zero in patch"],
    ["-1.2.3", "negative"],
    ["a.b.c", "letters"],
    [" 1.2.3", "leading space"],
    ["1.2.3 ", "trailing space"],
    ["1.2.3-", "empty prerelease"],
    ["1.2.3-01", "leading zero in numeric prerelease identifier"],
    ["1.2.3-beta..1", "empty prerelease identifier"],
    ["1.2.3-beta_1", "underscore in prerelease"],
    ["1.2.3+", "empty metadata"],
    ["1.2.3+build..1", "empty metadata identifier"],
    ["1.2.3+build+2", "two plus signs"],
    ["9007199254740992.0.0", "major beyond the safe integer range"],
    ["1.2.x", "wildcard"],
  ])("rejects %j (%s)", (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe("compareVersions", () => {
  // The precedence chain from semver 2.0.0 §11.4, extended with release ordering.
  const ascending = [
    "0.9.9",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.9.0",
    "1.10.0",
    "2.0.0",
  ];
  const pairs = ascending.flatMap((lower, i) =>
    ascending.slice(i + 1).map((higher) => [lower, higher] as const),
  );

  it.each(pairs)("orders %s before %s", (lower, higher) => {
    expect(compareVersions(version(lower), version(higher))).toBeLessThan(0);
    expect(compareVersions(version(higher), version(lower))).toBeGreaterThan(0);
  });

  it.each([
    ["1.2.3", "1.2.3"],
    ["1.2.3+a", "1.2.3+b"],
    ["1.2.3", "1.2.3+build"],
    ["1.2.3-rc.1+a", "1.2.3-rc.1"],
  ])("treats %s and %s as equal (metadata ignored)", (a, b) => {
    expect(compareVersions(version(a), version(b))).toBe(0);
  });

  it.each([
    ["1.0.0-2", "1.0.0-10", "numeric identifiers compare as numbers"],
    ["1.0.0-99", "1.0.0-a", "numeric identifiers rank below alphanumeric ones"],
    ["1.0.0-Z", "1.0.0-a", "alphanumeric identifiers compare in ASCII order"],
    ["1.0.0-a.b", "1.0.0-a.b.c", "a longer identifier list ranks higher when the shorter is a prefix"],
    ["1.0.0-alpha.1.b", "1.0.0-beta", "earlier identifiers win over list length"],
    ["1.0.0-20240101000000000001", "1.0.0-20240101000000000002", "numbers beyond 2^53 stay exact"],
  ])("orders %s before %s: %s", (lower, higher) => {
    expect(compareVersions(version(lower), version(higher))).toBeLessThan(0);
    expect(compareVersions(version(higher), version(lower))).toBeGreaterThan(0);
  });
});

describe("formatVersion", () => {
  it.each(["0.0.0", "1.2.3", "1.2.3-beta.1", "1.2.3+build.5", "1.2.3-rc.1+build.5"])(
    "round-trips %s",
    (text) => {
      expect(formatVersion(version(text))).toBe(text);
    },
  );

  it("formats a hand-built version", () => {
    expect(formatVersion({ major: 4, minor: 0, patch: 12, prerelease: "", metadata: "" })).toBe("4.0.12");
    expect(formatVersion({ major: 1, minor: 0, patch: 0, prerelease: "", metadata: "sha.abc" })).toBe(
      "1.0.0+sha.abc",
    );
  });
});

describe("sortVersionStrings", () => {
  it.each<[string, string[], string[]]>([
    ["empty input", [], []],
    [
      "releases by number, not text",
      ["1.10.0", "1.2.0", "1.9.1", "0.1.0", "10.0.0", "2.0.0"],
      ["0.1.0", "1.2.0", "1.9.1", "1.10.0", "2.0.0", "10.0.0"],
    ],
    [
      "prereleases before their release",
      ["1.0.0", "1.0.0-rc.1", "1.0.0-beta.11", "1.0.0-beta.2", "1.0.0-alpha", "0.9.0"],
      ["0.9.0", "1.0.0-alpha", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"],
    ],
    ["invalid strings dropped", ["2.0.0", "latest", "v1.0.0", "1.0", "", "1.0.0"], ["1.0.0", "2.0.0"]],
    ["duplicates kept", ["1.0.0", "0.5.0", "1.0.0"], ["0.5.0", "1.0.0", "1.0.0"]],
    ["equal precedence ordered by text", ["1.0.0+b", "1.0.0", "1.0.0+a"], ["1.0.0", "1.0.0+a", "1.0.0+b"]],
  ])("%s", (_name, input, expected) => {
    expect(sortVersionStrings(input)).toEqual(expected);
  });

  it("does not modify its input", () => {
    const input = ["2.0.0", "1.0.0"];
    sortVersionStrings(input);
    expect(input).toEqual(["2.0.0", "1.0.0"]);
  });
});
