/**
 * Semantic versions (semver 2.0.0) as published by Terraform/OpenTofu registries for providers and modules.
 * Parsing is strict: registries publish canonical semver, so anything else is treated as "not a version".
 */

/** A parsed semantic version; prerelease and metadata are "" when absent. */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string;
  readonly metadata: string;
}

// Pieces of the grammar in semver 2.0.0 §2, §9 and §10; numbers may not have leading zeros.
const numberPattern = String.raw`0|[1-9]\d*`;
const prereleaseIdentifier = String.raw`(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)`;
const metadataIdentifier = String.raw`[0-9a-zA-Z-]+`;
const versionPattern = new RegExp(
  `^(${numberPattern})\\.(${numberPattern})\\.(${numberPattern})` +
    `(?:-(${prereleaseIdentifier}(?:\\.${prereleaseIdentifier})*))?` +
    `(?:\\+(${metadataIdentifier}(?:\\.${metadataIdentifier})*))?$`,
);

/** Parses a strict semver string such as "1.2.3", "1.2.3-beta.1" or "1.2.3+build"; undefined when invalid. */
export function parseVersion(text: string): Version | undefined {
  const match = versionPattern.exec(text);
  if (!match) return undefined;
  const [, major = "", minor = "", patch = "", prerelease = "", metadata = ""] = match;
  const numbers = [Number(major), Number(minor), Number(patch)];
  // Beyond 2^53 numbers lose precision, so two different versions could compare equal.
  if (!numbers.every((n) => Number.isSafeInteger(n))) return undefined;
  const [majorNumber = 0, minorNumber = 0, patchNumber = 0] = numbers;
  return { major: majorNumber, minor: minorNumber, patch: patchNumber, prerelease, metadata };
}

/** Orders two versions by semver precedence (§11): negative, zero or positive; build metadata is ignored. */
export function compareVersions(a: Version, b: Version): number {
  return (
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch) ||
    comparePrereleases(a.prerelease, b.prerelease)
  );
}

/** The canonical string of a version, e.g. "1.2.3-beta.1+build.5". */
export function formatVersion(v: Version): string {
  const core = `${v.major}.${v.minor}.${v.patch}`;
  const prerelease = v.prerelease === "" ? "" : `-${v.prerelease}`;
  const metadata = v.metadata === "" ? "" : `+${v.metadata}`;
  return core + prerelease + metadata;
}

/** Orders two version strings by precedence; strings that are not versions fall back to text order. */
export function compareVersionStrings(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return va && vb ? compareVersions(va, vb) : a.localeCompare(b);
}

/** Sorts version strings ascending by precedence, dropping strings that are not valid versions. */
export function sortVersionStrings(versions: readonly string[]): string[] {
  return parseVersionStrings(versions)
    .sort(compareParsed)
    .map((entry) => entry.text);
}

// Keeps the original text so callers get back exactly the strings they passed in.
interface ParsedVersionString {
  readonly text: string;
  readonly version: Version;
}

function parseVersionStrings(versions: readonly string[]): ParsedVersionString[] {
  return versions.flatMap((text) => {
    const version = parseVersion(text);
    return version ? [{ text, version }] : [];
  });
}

// Ties on precedence (builds differing only in metadata) fall back to the text so the order is deterministic.
function compareParsed(a: ParsedVersionString, b: ParsedVersionString): number {
  return compareVersions(a.version, b.version) || compareText(a.text, b.text);
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

// §11.3: a version without a prerelease ranks above the same version with one.
function comparePrereleases(a: string, b: string): number {
  if (a === b) return 0;
  if (a === "") return 1;
  if (b === "") return -1;
  return compareIdentifierLists(a.split("."), b.split("."));
}

// §11.4: compare identifiers left to right; when one list is a prefix of the other, the longer one ranks higher.
function compareIdentifierLists(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareIdentifiers(a[i] ?? "", b[i] ?? "");
    if (order !== 0) return order;
  }
  return Math.sign(a.length - b.length);
}

const digitsOnly = /^\d+$/;

// §11.4.1-3: numeric identifiers compare as numbers and rank below alphanumeric ones, which compare in ASCII order.
function compareIdentifiers(a: string, b: string): number {
  const aNumeric = digitsOnly.test(a);
  const bNumeric = digitsOnly.test(b);
  if (aNumeric && bNumeric) return compareBigInts(BigInt(a), BigInt(b));
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return compareText(a, b);
}

// BigInt because prerelease numbers such as build timestamps can exceed 2^53.
function compareBigInts(a: bigint, b: bigint): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
