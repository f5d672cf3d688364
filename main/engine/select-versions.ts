import { LarderError } from "../core/errors.js";
import { formatVersion, parseVersion, sortVersionStrings } from "../core/version.js";
import { allMatching, newestMatching, parseVersionConstraint } from "../core/version-constraint.js";

/**
 * Picks versions from what a registry offers: each constraint selects its newest match (or every match with
 * `all`); no constraint selects the newest release. Throws a not_found error naming recent versions when a
 * constraint matches nothing.
 */
export function selectVersions(
  name: string,
  available: readonly string[],
  constraints: readonly string[],
  all: boolean,
): string[] {
  const sorted = sortVersionStrings(available);
  const parsed = (constraints.length > 0 ? constraints : [""]).map(parseVersionConstraint);
  const chosen = new Set<string>();
  for (const constraint of parsed) {
    const matches = all
      ? allMatching(sorted, constraint)
      : [newestMatching(sorted, constraint)].filter((v) => v !== undefined);
    if (matches.length === 0) {
      const recent = sorted.slice(-8).join(", ") || "none";
      const wanted = constraint.text === "" ? "any released version" : `"${constraint.text}"`;
      throw new LarderError(
        "not_found",
        `No version of ${name} matches ${wanted}. Newest available: ${recent}.`,
      );
    }
    for (const version of matches) chosen.add(version);
  }
  return sortVersionStrings([...chosen]);
}

/** The versions named exactly (`1.2.3` or `= 1.2.3`), or undefined if any constraint is a range. */
export function exactVersions(texts: readonly string[]): string[] | undefined {
  if (texts.length === 0) return undefined;
  const versions: string[] = [];
  for (const text of texts) {
    const version = parseVersion(text.trim().replace(/^=\s*/, ""));
    if (!version) return undefined;
    versions.push(formatVersion(version));
  }
  return versions;
}
