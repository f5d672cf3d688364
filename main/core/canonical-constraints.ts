import { compareVersions, type Version } from "./version.js";
import { parseConditionParts, type ConditionParts } from "./version-constraint.js";

/**
 * The normalized form terraform and tofu write as a lock file's `constraints` (and refuse to read in any other
 * form): every module's conditions on one provider, deduplicated, sorted by bound and then operator, each
 * written with three version parts except `~> X.Y`. Mirrors `VersionConstraintsString` of terraform's
 * `getproviders/providerreqs` (protocol doc §5.3).
 */
export function canonicalConstraints(constraints: readonly string[]): string {
  const unique = new Map<string, Normalized>();
  for (const text of constraints) {
    for (const condition of parseConditionParts(text)) {
      const normalized = normalize(condition);
      unique.set(render(normalized), normalized);
    }
  }
  return [...unique.values()]
    .sort((a, b) => compareBounds(a.bound, b.bound) || PRIORITY[a.kind] - PRIORITY[b.kind])
    .map(render)
    .join(", ");
}

type Kind = "gt" | "ge" | "eq" | "tilde-patch" | "tilde-minor" | "le" | "lt" | "ne";

interface Normalized {
  readonly kind: Kind;
  readonly bound: Version;
}

// terraform's order: lower bounds first, upper bounds last, exclusions at the end.
const PRIORITY: Readonly<Record<Kind, number>> = {
  gt: 1,
  ge: 2,
  eq: 3,
  "tilde-patch": 4,
  "tilde-minor": 5,
  le: 6,
  lt: 7,
  ne: 8,
};

const SYMBOL: Readonly<Record<Kind, string>> = {
  gt: "> ",
  ge: ">= ",
  eq: "",
  "tilde-patch": "~> ",
  "tilde-minor": "~> ",
  le: "<= ",
  lt: "< ",
  ne: "!= ",
};

function normalize({ operator, bound, parts }: ConditionParts): Normalized {
  switch (operator) {
    case "=":
      return { kind: "eq", bound };
    case "!=":
      return { kind: "ne", bound };
    case ">":
      return { kind: "gt", bound };
    case ">=":
      return { kind: "ge", bound };
    case "<":
      return { kind: "lt", bound };
    case "<=":
      return { kind: "le", bound };
    case "~>":
      // "~> 2" means "~> 2.0": a major-only pessimistic constraint does not exist.
      return { kind: parts === 3 ? "tilde-patch" : "tilde-minor", bound };
  }
}

function render({ kind, bound }: Normalized): string {
  const numbers =
    kind === "tilde-minor" ? `${bound.major}.${bound.minor}` : `${bound.major}.${bound.minor}.${bound.patch}`;
  const prerelease = bound.prerelease === "" ? "" : `-${bound.prerelease}`;
  const metadata = bound.metadata === "" ? "" : `+${bound.metadata}`;
  return `${SYMBOL[kind]}${numbers}${prerelease}${metadata}`;
}

// Build metadata does not order versions, but a stable order needs some tie-break.
function compareBounds(a: Version, b: Version): number {
  const order = compareVersions(a, b);
  if (order !== 0) return order;
  if (a.metadata === b.metadata) return 0;
  return a.metadata < b.metadata ? -1 : 1;
}
