import { describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { exactVersions, selectVersions } from "../../../main/engine/select-versions.js";

const available = ["1.0.0", "1.2.0", "1.2.3", "1.10.0", "2.0.0-beta.1", "2.0.0", "2.1.0", "3.0.0-rc.1"];

describe("selectVersions", () => {
  it.each<[string, readonly string[], string[]]>([
    ["no constraint: the newest release, not a prerelease", [], ["2.1.0"]],
    ["an empty constraint: the same", [""], ["2.1.0"]],
    ["~> 1.2: the newest 1.x at or above 1.2 (numeric, not string, order)", ["~> 1.2"], ["1.10.0"]],
    ["~> 1.2.0: the newest 1.2.x", ["~> 1.2.0"], ["1.2.3"]],
    ["a range", [">= 1.0.0, < 2.0.0"], ["1.10.0"]],
    ["an exact version", ["1.2.0"], ["1.2.0"]],
    ["an exact prerelease, which only = selects", ["= 2.0.0-beta.1"], ["2.0.0-beta.1"]],
    ["a lower bound skips prereleases", [">= 2.0.0"], ["2.1.0"]],
    [
      "several constraints: the union of their picks, sorted",
      ["~> 2.0", "1.0.0", "~> 1.2.0"],
      ["1.0.0", "1.2.3", "2.1.0"],
    ],
    ["the same pick twice: once", ["~> 2.0", ">= 2.1.0"], ["2.1.0"]],
  ])("newest per constraint: %s", (_, constraints, expected) => {
    expect(selectVersions("acme/net/aws", available, constraints, false)).toEqual(expected);
  });

  it.each<[string, readonly string[], string[]]>([
    ["no constraint: every release", [], ["1.0.0", "1.2.0", "1.2.3", "1.10.0", "2.0.0", "2.1.0"]],
    ["~> 1.2", ["~> 1.2"], ["1.2.0", "1.2.3", "1.10.0"]],
    ["a union without duplicates", ["~> 1.2.0", ">= 1.2.3, < 2.0.0"], ["1.2.0", "1.2.3", "1.10.0"]],
  ])("all matching: %s", (_, constraints, expected) => {
    expect(selectVersions("acme/net/aws", available, constraints, true)).toEqual(expected);
  });

  it("ignores strings that are not versions and keeps the strings it was given", () => {
    expect(selectVersions("x", ["v1.0.0", "latest", "1.1", "1.0.1", "0.9.0+build.5"], [], true)).toEqual([
      "0.9.0+build.5",
      "1.0.1",
    ]);
  });

  it("names the constraint and the newest available versions when nothing matches", () => {
    const many = Array.from({ length: 12 }, (_, i) => `1.${i}.0`);
    const error = errorOf(() =>
      selectVersions("registry.terraform.io/acme/net/aws", many, ["~> 1.0", ">= 5.0"], false),
    );
    expect(error.code).toBe("not_found");
    expect(error.message).toBe(
      'No version of registry.terraform.io/acme/net/aws matches ">= 5.0". ' +
        "Newest available: 1.4.0, 1.5.0, 1.6.0, 1.7.0, 1.8.0, 1.9.0, 1.10.0, 1.11.0.",
    );
  });

  it("says so when only prereleases exist and no constraint was given", () => {
    expect(errorOf(() => selectVersions("acme/x/aws", ["1.0.0-rc.1"], [], false)).message).toBe(
      "No version of acme/x/aws matches any released version. Newest available: 1.0.0-rc.1.",
    );
  });

  it("says none when the registry offers nothing", () => {
    expect(errorOf(() => selectVersions("acme/x/aws", [], ["~> 1.0"], true)).message).toBe(
      'No version of acme/x/aws matches "~> 1.0". Newest available: none.',
    );
  });

  it("refuses an invalid constraint with the constraint parser's error", () => {
    const error = errorOf(() => selectVersions("acme/x/aws", available, ["=> 1.0"], false));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain('">="');
  });
});

describe("exactVersions", () => {
  it.each<[readonly string[], string[] | undefined]>([
    [["1.2.3"], ["1.2.3"]],
    [["= 1.2.3"], ["1.2.3"]],
    [["=1.2.3"], ["1.2.3"]],
    [["  = 1.2.3  "], ["1.2.3"]],
    [
      ["1.2.3", "= 2.0.0-beta.1"],
      ["1.2.3", "2.0.0-beta.1"],
    ],
    [["1.2.3+build.1"], ["1.2.3+build.1"]],
    [[], undefined],
    [[""], undefined],
    [["~> 1.2"], undefined],
    [[">= 1.2.3"], undefined],
    [["1.2.3", "~> 2.0"], undefined],
    [["1.2"], undefined],
    [["v1.2.3"], undefined],
    [["!= 1.2.3"], undefined],
    [["1.2.3, 1.2.3"], undefined],
  ])("%j gives %j", (texts, expected) => {
    expect(exactVersions(texts)).toEqual(expected);
  });
});
