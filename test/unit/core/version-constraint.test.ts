import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { parseVersion, type Version } from "../../../main/core/version.js";
import {
  allMatching,
  newestMatching,
  parseVersionConstraint,
  type VersionConstraint,
} from "../../../main/core/version-constraint.js";

function version(text: string): Version {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`test setup: "${text}" should parse`);
  return parsed;
}

function matches(constraint: string, candidate: string): boolean {
  return parseVersionConstraint(constraint).matches(version(candidate));
}

function parseError(text: string): unknown {
  try {
    parseVersionConstraint(text);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("parseVersionConstraint: operators", () => {
  it.each<[string, string, boolean]>([
    // "=" and no operator: exactly one version; missing parts are zero.
    ["= 1.2.3", "1.2.3", true],
    ["= 1.2.3", "1.2.4", false],
    ["= 1.2.3", "1.2.2", false],
    ["1.2.3", "1.2.3", true],
    ["1.2.3", "1.3.0", false],
    ["1.2", "1.2.0", true],
    ["1.2", "1.2.1", false],
    ["1", "1.0.0", true],
    ["1", "1.0.1", false],
    ["= 1.2.3", "1.2.3+build", true],
    ["= 1.2.3+build", "1.2.3+build", true],
    ["= 1.2.3+build", "1.2.3", false],
    ["= 1.2.3+build", "1.2.3+other", false],
    // "!=": everything but one version.
    ["!= 1.2.3", "1.2.3", false],
    ["!= 1.2.3", "1.2.4", true],
    ["!= 1.2.3", "1.2.2", true],
    ["!= 1.2", "1.2.0", false],
    ["!= 1.2", "1.2.1", true],
    // ">", ">=", "<", "<=".
    ["> 1.2.3", "1.2.3", false],
    ["> 1.2.3", "1.2.4", true],
    ["> 1.2.3", "2.0.0", true],
    ["> 1.2", "1.2.0", false],
    ["> 1.2", "1.2.1", true],
    [">= 1.2.3", "1.2.2", false],
    [">= 1.2.3", "1.2.3", true],
    [">= 1.2.3", "10.0.0", true],
    [">= 1", "0.99.99", false],
    [">= 1", "1.0.0", true],
    ["< 1.2.3", "1.2.2", true],
    ["< 1.2.3", "1.2.3", false],
    ["< 1.2.3", "1.2.4", false],
    ["< 2", "1.99.99", true],
    ["< 2", "2.0.0", false],
    ["<= 1.2.3", "1.2.3", true],
    ["<= 1.2.3", "1.2.4", false],
    ["<= 1.2.3", "0.0.1", true],
    // "~>" with three parts: only the patch may grow.
    ["~> 1.2.3", "1.2.2", false],
    ["~> 1.2.3", "1.2.3", true],
    ["~> 1.2.3", "1.2.10", true],
    ["~> 1.2.3", "1.3.0", false],
    ["~> 1.0.4", "1.0.5", true],
    ["~> 1.0.4", "1.1.0", false],
    // "~>" with two parts: minor and patch may grow.
    ["~> 1.2", "1.1.9", false],
    ["~> 1.2", "1.2.0", true],
    ["~> 1.2", "1.9.7", true],
    ["~> 1.2", "2.0.0", false],
    ["~> 0.12", "0.15.5", true],
    ["~> 0.12", "1.0.0", false],
    // "~>" with one part behaves like two: "~> 1" is ">= 1.0.0, < 2.0.0".
    ["~> 1", "0.9.0", false],
    ["~> 1", "1.0.0", true],
    ["~> 1", "1.99.0", true],
    ["~> 1", "2.0.0", false],
    ["~> 0", "0.5.0", true],
    ["~> 0", "1.0.0", false],
    // Comma lists are ANDed.
    [">= 1.0, < 2.0", "0.9.0", false],
    [">= 1.0, < 2.0", "1.0.0", true],
    [">= 1.0, < 2.0", "1.9.9", true],
    [">= 1.0, < 2.0", "2.0.0", false],
    [">= 3.42.0, != 4.0.0, != 4.1.0", "4.0.0", false],
    [">= 3.42.0, != 4.0.0, != 4.1.0", "4.2.0", true],
    ["~> 1.2, != 1.5.0", "1.5.0", false],
    ["~> 1.2, != 1.5.0", "1.5.1", true],
    ["= 1.2.3, >= 1.0", "1.2.3", true],
    ["= 1.2.3, >= 2.0", "1.2.3", false],
    ["> 2.0, < 1.0", "1.5.0", false],
  ])("%j matches %s: %s", (constraint, candidate, expected) => {
    expect(matches(constraint, candidate)).toBe(expected);
  });
});

describe("parseVersionConstraint: prereleases", () => {
  it.each<[string, string, boolean]>([
    // Only an exact condition naming the prerelease selects it.
    ["= 2.0.0-beta1", "2.0.0-beta1", true],
    ["2.0.0-beta1", "2.0.0-beta1", true],
    ["2.0.0-beta1", "2.0.0-beta1+build", true],
    ["2.0-beta1", "2.0.0-beta1", true],
    ["2-beta1", "2.0.0-beta1", true],
    ["= 2.0.0-beta1", "2.0.0-beta2", false],
    ["= 2.0.0-beta1", "2.0.0", false],
    ["= 2.0.0", "2.0.0-beta1", false],
    ["= 2.0.0-beta1, >= 1.0.0", "2.0.0-beta1", true],
    ["= 2.0.0-beta1, < 2.0.0", "2.0.0-beta1", true],
    ["= 2.0.0-beta1, != 2.0.0-beta1", "2.0.0-beta1", false],
    // Inexact operators never select a prerelease, even when its precedence is in range.
    [">= 1.0.0", "2.0.0-beta1", false],
    ["> 1.0.0", "2.0.0-beta1", false],
    ["< 3.0.0", "2.0.0-beta1", false],
    ["<= 2.0.0", "2.0.0-beta1", false],
    ["!= 1.0.0", "2.0.0-beta1", false],
    ["~> 2.0", "2.0.0-beta1", false],
    ["~> 2.0.0-beta1", "2.0.0-beta1", false],
    ["~> 2.0.0-beta1", "2.0.0-beta2", false],
    [">= 2.0.0-beta1", "2.0.0-beta2", false],
    // A prerelease bound still works as a bound for released versions.
    ["~> 2.0.0-beta1", "2.0.0", true],
    ["~> 2.0.0-beta1", "2.0.5", true],
    ["~> 2.0.0-beta1", "2.1.0", false],
    ["~> 2.0-beta1", "2.9.0", true],
    ["~> 2.0-beta1", "3.0.0", false],
    [">= 2.0.0-beta1", "2.0.0", true],
    ["< 2.0.0-beta1", "1.9.9", true],
    ["< 2.0.0-beta1", "2.0.0", false],
  ])("%j matches %s: %s", (constraint, candidate, expected) => {
    expect(matches(constraint, candidate)).toBe(expected);
  });
});

describe("parseVersionConstraint: empty constraint", () => {
  it.each(["", "   ", "\t\n"])("%j allows any released version and no prerelease", (text) => {
    const constraint = parseVersionConstraint(text);
    expect(constraint.text).toBe("");
    expect(constraint.matches(version("0.0.1"))).toBe(true);
    expect(constraint.matches(version("99.1.0+build"))).toBe(true);
    expect(constraint.matches(version("1.0.0-rc.1"))).toBe(false);
  });
});

describe("parseVersionConstraint: whitespace", () => {
  const candidates = ["0.9.0", "1.2.0", "1.2.9", "1.3.0", "1.5.0", "2.0.0"];
  const spellings = [
    ">= 1.2, < 1.5",
    ">=1.2,<1.5",
    "  >=  1.2 ,   < 1.5  ",
    "\t>=\t1.2,\n<\t1.5\n",
    ">= 1.2 ,< 1.5",
  ];

  it.each(spellings)('%j means the same as ">= 1.2, < 1.5"', (text) => {
    const constraint = parseVersionConstraint(text);
    const allowed = candidates.filter((candidate) => constraint.matches(version(candidate)));
    expect(allowed).toEqual(["1.2.0", "1.2.9", "1.3.0"]);
  });

  it.each([
    ["~>1.2", "1.9.0", true],
    ["~>  1.2.3", "1.2.9", true],
    ["!=1.0.0", "1.0.0", false],
    ["=1.0.0", "1.0.0", true],
    ["  1.0.0  ", "1.0.0", true],
  ])("%j matches %s: %s", (constraint, candidate, expected) => {
    expect(matches(constraint, candidate)).toBe(expected);
  });

  it("keeps the constraint text, trimmed", () => {
    expect(parseVersionConstraint("  ~> 1.2  ").text).toBe("~> 1.2");
    expect(parseVersionConstraint(">= 1.0, < 2.0").text).toBe(">= 1.0, < 2.0");
  });
});

describe("parseVersionConstraint: invalid input", () => {
  const usage = 'Use forms like "~> 1.2", ">= 1.0, < 2.0" or "= 1.2.3".';
  const operatorList = "The operators are =, !=, >, >=, <, <= and ~>.";

  it.each<[string, string]>([
    ["~> x", `Invalid version constraint "~> x": "x" is not a version. ${usage}`],
    ["garbage", `Invalid version constraint "garbage": "garbage" is not a version. ${usage}`],
    [">= 1.2.3-", `Invalid version constraint ">= 1.2.3-": "1.2.3-" is not a version. ${usage}`],
    ["= 1.2.3-01", `Invalid version constraint "= 1.2.3-01": "1.2.3-01" is not a version. ${usage}`],
    ["1.2.3+", `Invalid version constraint "1.2.3+": "1.2.3+" is not a version. ${usage}`],
    ["*", `Invalid version constraint "*": "*" is not a version. ${usage}`],
    ["latest", `Invalid version constraint "latest": "latest" is not a version. ${usage}`],
    [
      "1.x",
      'Invalid version constraint "1.x": wildcards such as "1.x" are not supported. Write "~> 1.0" instead.',
    ],
    [
      "1.2.*",
      'Invalid version constraint "1.2.*": wildcards such as "1.2.*" are not supported. Write "~> 1.2.0" instead.',
    ],
    [
      ">= 1.X.x",
      'Invalid version constraint ">= 1.X.x": wildcards such as "1.X.x" are not supported. Write "~> 1.0" instead.',
    ],
    [
      "1.2.3.4",
      'Invalid version constraint "1.2.3.4": "1.2.3.4" has too many parts. A version has at most three: major.minor.patch.',
    ],
    [
      "v1.2.3",
      'Invalid version constraint "v1.2.3": versions are written without a "v" prefix. Write "1.2.3" instead of "v1.2.3".',
    ],
    [
      "~> v1.2",
      'Invalid version constraint "~> v1.2": versions are written without a "v" prefix. Write "1.2" instead of "v1.2".',
    ],
    [
      ">= 1.0, < v2.0",
      'Invalid version constraint ">= 1.0, < v2.0": versions are written without a "v" prefix. Write "2.0" instead of "v2.0".',
    ],
    [
      "=> 1.0",
      `Invalid version constraint "=> 1.0": "=>" is not a version operator. Did you mean ">="? ${operatorList}`,
    ],
    [
      "=<1.0",
      `Invalid version constraint "=<1.0": "=<" is not a version operator. Did you mean "<="? ${operatorList}`,
    ],
    [
      "== 1.0",
      `Invalid version constraint "== 1.0": "==" is not a version operator. Did you mean "="? ${operatorList}`,
    ],
    [
      "~ 1.0",
      `Invalid version constraint "~ 1.0": "~" is not a version operator. Did you mean "~>"? ${operatorList}`,
    ],
    ["^1.2.3", `Invalid version constraint "^1.2.3": "^" is not a version operator. ${operatorList}`],
    ["& 1.1.0", `Invalid version constraint "& 1.1.0": "&" is not a version operator. ${operatorList}`],
    ["-1.0", `Invalid version constraint "-1.0": "-" is not a version operator. ${operatorList}`],
    [">=", 'Invalid version constraint ">=": ">=" must be followed by a version, e.g. ">= 1.2.3".'],
    [
      "~> 1.0, <",
      'Invalid version constraint "~> 1.0, <": "<" must be followed by a version, e.g. "< 1.2.3".',
    ],
    [
      ">= 1.0 < 2.0",
      'Invalid version constraint ">= 1.0 < 2.0": ">= 1.0 < 2.0" has two conditions without a comma. Separate conditions with commas, e.g. ">= 1.0, < 2.0".',
    ],
    [
      "1.0.0 - 2.0.0",
      'Invalid version constraint "1.0.0 - 2.0.0": "1.0.0 - 2.0.0" has two conditions without a comma. Separate conditions with commas, e.g. ">= 1.0, < 2.0".',
    ],
    [
      "1.0 || 2.0",
      'Invalid version constraint "1.0 || 2.0": "||" is not supported. Conditions are separated by commas and a version must meet all of them.',
    ],
    [
      ">= 1.0,",
      'Invalid version constraint ">= 1.0,": it contains an empty condition. Remove the extra comma so each comma separates two conditions.',
    ],
    [
      ", >= 1.0",
      'Invalid version constraint ", >= 1.0": it contains an empty condition. Remove the extra comma so each comma separates two conditions.',
    ],
    [
      ">= 1.0,, < 2.0",
      'Invalid version constraint ">= 1.0,, < 2.0": it contains an empty condition. Remove the extra comma so each comma separates two conditions.',
    ],
    [
      ",",
      'Invalid version constraint ",": it contains an empty condition. Remove the extra comma so each comma separates two conditions.',
    ],
  ])("rejects %j", (text, message) => {
    const error = parseError(text);
    expect(error).toBeInstanceOf(LarderError);
    expect(error).toMatchObject({ code: "invalid_input", status: 400, message });
  });
});

describe("newestMatching and allMatching", () => {
  const published = [
    "1.0.0",
    "0.9.0",
    "1.2.0",
    "1.10.0",
    "1.2.5",
    "2.0.0-beta1",
    "2.0.0-rc.1",
    "1.9.0",
    "2.0.0",
    "2.1.0",
    "not-a-version",
    "v3.0.0",
    "3.0.0-alpha",
  ];

  it.each<[string, string[]]>([
    ["", ["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.9.0", "1.10.0", "2.0.0", "2.1.0"]],
    ["~> 1.2", ["1.2.0", "1.2.5", "1.9.0", "1.10.0"]],
    ["~> 1.2.0", ["1.2.0", "1.2.5"]],
    ["~> 1", ["1.0.0", "1.2.0", "1.2.5", "1.9.0", "1.10.0"]],
    [">= 1.9", ["1.9.0", "1.10.0", "2.0.0", "2.1.0"]],
    [">= 1.0, < 2.0, != 1.2.5", ["1.0.0", "1.2.0", "1.9.0", "1.10.0"]],
    ["2.0.0-beta1", ["2.0.0-beta1"]],
    ["= 3.0.0-alpha", ["3.0.0-alpha"]],
    ["~> 3.0", []],
    ["> 2.1.0", []],
  ])("%j", (text, expected) => {
    const constraint = parseVersionConstraint(text);
    expect(allMatching(published, constraint)).toEqual(expected);
    expect(newestMatching(published, constraint)).toBe(expected.at(-1));
  });

  it("hands back the strings exactly as given", () => {
    const constraint = parseVersionConstraint("~> 1.0");
    expect(allMatching(["1.0.0+b", "1.0.0", "1.0.0+a"], constraint)).toEqual(["1.0.0", "1.0.0+a", "1.0.0+b"]);
    expect(newestMatching(["1.0.0+b", "1.0.0", "1.0.0+a"], constraint)).toBe("1.0.0+b");
  });

  it("returns nothing for an empty list", () => {
    const constraint: VersionConstraint = parseVersionConstraint(">= 0");
    expect(allMatching([], constraint)).toEqual([]);
    expect(newestMatching([], constraint)).toBeUndefined();
  });

  it("accepts any object with a matches method", () => {
    const odd: VersionConstraint = { text: "odd patch", matches: (v) => v.patch % 2 === 1 };
    expect(allMatching(["1.0.3", "1.0.2", "1.0.1"], odd)).toEqual(["1.0.1", "1.0.3"]);
    expect(newestMatching(["1.0.3", "1.0.2", "1.0.1"], odd)).toBe("1.0.3");
  });
});
