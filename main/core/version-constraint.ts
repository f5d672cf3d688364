/**
 * Terraform/OpenTofu version constraints ("~> 1.2", ">= 1.0, < 2.0", "= 1.2.3"), with the semantics of
 * apparentlymart/go-versions, which Terraform uses for provider constraints and modules share: comma-separated
 * conditions are ANDed, and a prerelease is only selected by an "=" condition naming it.
 */
import { LarderError } from "./errors.js";
import { compareVersions, parseVersion, sortVersionStrings, type Version } from "./version.js";

/** A parsed constraint; text is the constraint as written, trimmed. */
export interface VersionConstraint {
  readonly text: string;
  matches(version: Version): boolean;
}

export type Operator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "~>";

interface Condition {
  // Only "=" conditions may select a prerelease; every other operator sees released versions only.
  readonly exact: boolean;
  readonly test: (version: Version) => boolean;
}

const operators: readonly Operator[] = ["=", "!=", ">", ">=", "<", "<=", "~>"];
// Near-misses people type from other ecosystems, mapped to what they most likely meant.
const operatorHints = new Map([
  ["=>", ">="],
  ["=<", "<="],
  ["==", "="],
  ["~", "~>"],
]);
const usageHint = 'Use forms like "~> 1.2", ">= 1.0, < 2.0" or "= 1.2.3".';

/** Parses a constraint string; an empty string allows any released (non-prerelease) version. */
export function parseVersionConstraint(text: string): VersionConstraint {
  const trimmed = text.trim();
  const conditions =
    trimmed === "" ? [] : trimmed.split(",").map((part) => parseCondition(part.trim(), trimmed));
  return {
    text: trimmed,
    matches: (version) =>
      conditions.every((condition) => condition.test(version)) &&
      (version.prerelease === "" || conditions.some((condition) => condition.exact)),
  };
}

/** One condition of a constraint as written: its operator, bound, and how many numeric parts were given. */
export interface ConditionParts {
  readonly operator: Operator;
  readonly bound: Version;
  readonly parts: number;
}

/** Splits a constraint into its conditions, validating each as parseVersionConstraint does. */
export function parseConditionParts(text: string): ConditionParts[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  return trimmed.split(",").map((raw) => {
    const part = raw.trim();
    parseCondition(part, trimmed);
    const [, symbol = "", rest = ""] = /^([^0-9A-Za-z\s.*]*)\s*([\s\S]*)$/.exec(part) ?? [];
    const operator = parseOperator(symbol, trimmed);
    return { operator, ...parseBound(rest, operator, part, trimmed) };
  });
}

/** The newest of the given version strings that the constraint allows; invalid strings are ignored. */
export function newestMatching(
  versions: readonly string[],
  constraint: VersionConstraint,
): string | undefined {
  return allMatching(versions, constraint).at(-1);
}

/** Every given version string the constraint allows, oldest first; invalid strings are ignored. */
export function allMatching(versions: readonly string[], constraint: VersionConstraint): string[] {
  return sortVersionStrings(versions).filter((text) => {
    const version = parseVersion(text);
    return version !== undefined && constraint.matches(version);
  });
}

function parseCondition(part: string, whole: string): Condition {
  if (part === "") {
    throw invalid(
      whole,
      "it contains an empty condition. Remove the extra comma so each comma separates two conditions.",
    );
  }
  // The operator is whatever symbols come first, so typos like "=>" get a targeted message rather than "not a version".
  const [, symbol = "", rest = ""] = /^([^0-9A-Za-z\s.*]*)\s*([\s\S]*)$/.exec(part) ?? [];
  const operator = parseOperator(symbol, whole);
  const { bound, parts } = parseBound(rest, operator, part, whole);
  return buildCondition(operator, bound, parts);
}

function parseOperator(symbol: string, whole: string): Operator {
  if (symbol === "") return "=";
  const operator = operators.find((candidate) => candidate === symbol);
  if (operator) return operator;
  const hint = operatorHints.get(symbol);
  const suggestion = hint === undefined ? "" : ` Did you mean "${hint}"?`;
  throw invalid(
    whole,
    `"${symbol}" is not a version operator.${suggestion} The operators are =, !=, >, >=, <, <= and ~>.`,
  );
}

function parseBound(
  rest: string,
  operator: Operator,
  part: string,
  whole: string,
): { bound: Version; parts: number } {
  if (rest === "")
    throw invalid(whole, `"${operator}" must be followed by a version, e.g. "${operator} 1.2.3".`);
  rejectCommonMistakes(rest, part, whole);
  // Constraints may leave out minor and patch ("~> 1.2"); missing parts are zero, as in go-versions.
  const match = /^(\d+(?:\.\d+){0,2})((?:[-+][\s\S]*)?)$/.exec(rest);
  const numbers = match?.[1]?.split(".") ?? [];
  const padded = [...numbers, "0", "0"].slice(0, 3).map((n) => n.replace(/^0+(?=\d)/, ""));
  const bound = match ? parseVersion(padded.join(".") + (match[2] ?? "")) : undefined;
  if (!bound) throw invalid(whole, `"${rest}" is not a version. ${usageHint}`);
  return { bound, parts: numbers.length };
}

// Each check catches a habit from another tool and says how to write it for Terraform instead.
function rejectCommonMistakes(rest: string, part: string, whole: string): void {
  if (rest.includes("||")) {
    throw invalid(
      whole,
      `"||" is not supported. Conditions are separated by commas and a version must meet all of them.`,
    );
  }
  if (/\s/.test(rest)) {
    throw invalid(
      whole,
      `"${part}" has two conditions without a comma. Separate conditions with commas, e.g. ">= 1.0, < 2.0".`,
    );
  }
  if (/^v\d/i.test(rest)) {
    throw invalid(
      whole,
      `versions are written without a "v" prefix. Write "${rest.slice(1)}" instead of "${rest}".`,
    );
  }
  if (/^\d+(?:\.\d+){3,}(?:[-+]|$)/.test(rest)) {
    throw invalid(whole, `"${rest}" has too many parts. A version has at most three: major.minor.patch.`);
  }
  const wildcard = /^(\d+)(?:\.(\d+))?(?:\.[xX*])+$/.exec(rest);
  if (wildcard) {
    const [, major = "", minor] = wildcard;
    const instead = minor === undefined ? `~> ${major}.0` : `~> ${major}.${minor}.0`;
    throw invalid(whole, `wildcards such as "${rest}" are not supported. Write "${instead}" instead.`);
  }
}

function buildCondition(operator: Operator, bound: Version, parts: number): Condition {
  switch (operator) {
    case "=":
      return { exact: true, test: (v) => sameVersion(v, bound) };
    case "!=":
      return inexact((v) => !sameVersion(v, bound));
    case ">":
      return inexact((v) => compareVersions(v, bound) > 0);
    case ">=":
      return inexact((v) => compareVersions(v, bound) >= 0);
    case "<":
      return inexact((v) => compareVersions(v, bound) < 0);
    case "<=":
      return inexact((v) => compareVersions(v, bound) <= 0);
    case "~>": {
      const upper = pessimisticUpperBound(bound, parts);
      return inexact((v) => compareVersions(v, bound) >= 0 && compareVersions(v, upper) < 0);
    }
  }
}

function inexact(test: (version: Version) => boolean): Condition {
  return { exact: false, test };
}

// "~>" lets only the rightmost given part grow; go-versions treats one and two parts alike: "~> 1" is "~> 1.0".
function pessimisticUpperBound(bound: Version, parts: number): Version {
  if (parts === 3)
    return { major: bound.major, minor: bound.minor + 1, patch: 0, prerelease: "", metadata: "" };
  return { major: bound.major + 1, minor: 0, patch: 0, prerelease: "", metadata: "" };
}

// Build metadata only narrows an exact match when the constraint names some; "= 1.2.3" also accepts "1.2.3+build".
function sameVersion(version: Version, bound: Version): boolean {
  if (compareVersions(version, bound) !== 0) return false;
  return bound.metadata === "" || version.metadata === bound.metadata;
}

function invalid(whole: string, reason: string): LarderError {
  return new LarderError("invalid_input", `Invalid version constraint "${whole}": ${reason}`);
}
