import { compareVersionStrings, parseVersion } from "./version.js";

/**
 * The catalog: what registries offer, for finding what to mirror (architecture §9). Each source's answers are
 * decoded into these shapes, stored in the catalog cache and searched; none of it is trusted for mirroring, which
 * always goes through the registry protocols and their checks.
 */

/** What a catalog entry names. */
export type CatalogKind = "provider" | "module";

/** One release of a catalog entry, with its date when the source gives one. */
export interface CatalogVersion {
  /** Without a `v` prefix (OpenTofu's indexes write `v2.53.0`). */
  readonly version: string;
  /** ISO 8601, or null when the source gives none. */
  readonly publishedAt: string | null;
}

/** One provider or module as a registry's catalog describes it. */
export interface CatalogEntry {
  /** The registry host the address belongs to (`registry.terraform.io`, `registry.opentofu.org`, a private one). */
  readonly host: string;
  readonly kind: CatalogKind;
  readonly namespace: string;
  /** A provider's type or a module's name. */
  readonly name: string;
  /** A module's target system (`aws`); null for providers. */
  readonly system: string | null;
  readonly description: string;
  /** registry.terraform.io's provider tier (`official`, `partner`, `community`), else null. */
  readonly tier: string | null;
  /** registry.terraform.io's verified flag for modules (partner modules), else false. */
  readonly verified: boolean;
  /**
   * How much it is used, for ranking: registry.terraform.io's download count, OpenTofu's popularity score (GitHub
   * stars); 0 when the source gives none. Scores of different hosts are not compared with each other.
   */
  readonly popularity: number;
  /** The source repository URL, or null. */
  readonly source: string | null;
  readonly latestVersion: string | null;
  /** Every version, newest first, once fetched; null when the source lists only the latest. */
  readonly versions: readonly CatalogVersion[] | null;
}

/** `namespace/name` or `namespace/name/system`, as people type and registries display them. */
export function catalogAddress(entry: Pick<CatalogEntry, "namespace" | "name" | "system">): string {
  return entry.system === null
    ? `${entry.namespace}/${entry.name}`
    : `${entry.namespace}/${entry.name}/${entry.system}`;
}

/** A version as catalogs write it, without OpenTofu's `v` prefix (`v2.53.0` → `2.53.0`). */
export function stripVersionPrefix(text: string): string {
  return /^v\d/.test(text) ? text.slice(1) : text;
}

/**
 * The versions newest first, as CatalogEntry.versions keeps them. Sources promise an order (OpenTofu's indexes,
 * newest first) or none (registry.terraform.io's `included[]`), so the order is always made here.
 */
export function newestFirst(versions: readonly CatalogVersion[]): CatalogVersion[] {
  return [...versions].sort((a, b) => compareVersionStrings(b.version, a.version));
}

/** The newest release that is not a pre-release (what a registry page calls "latest"), else the newest of all. */
export function latestCatalogVersion(versions: readonly CatalogVersion[]): string | null {
  const ordered = newestFirst(versions);
  const stable = ordered.find((entry) => parseVersion(entry.version)?.prerelease === "");
  return (stable ?? ordered[0])?.version ?? null;
}
