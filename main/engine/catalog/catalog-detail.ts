import { newestFirst } from "../../core/catalog.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { parseVersion } from "../../core/version.js";
import { parseVersionConstraint, type VersionConstraint } from "../../core/version-constraint.js";
import type { CatalogRepository, StoredCatalogEntry } from "../../db/catalog-repository.js";
import type { Inventory } from "../inventory.js";
import { rememberVersions } from "./catalog-lookup.js";
import { storedVersions, type CatalogKey } from "./catalog-stored.js";

/** What the live `versions` endpoint said: fetched, not asked (offline), no such address, or unreachable. */
export type LiveLookup =
  | { readonly status: "fetched" | "offline" | "not-found" }
  | { readonly status: "failed"; readonly message: string };

/** One platform of a provider version. `size`: archive bytes when known without a request (stored, cached), else null. */
export interface CatalogPlatform {
  readonly os: string;
  readonly arch: string;
  readonly size: number | null;
}

export interface CatalogDetailVersion {
  readonly version: string;
  /** From the catalog cache, when its source gave one. */
  readonly publishedAt: string | null;
  /** Whether the constraint allows it; null when no constraint was given. */
  readonly matches: boolean | null;
}

export interface ProviderDetailVersion extends CatalogDetailVersion {
  /** From the live `versions` endpoint; null when it was not asked (offline) or did not list this version. */
  readonly protocols: readonly string[] | null;
  readonly platforms: readonly CatalogPlatform[] | null;
  /** Stored platforms (`linux_amd64`); [] when none. */
  readonly stored: readonly string[];
}

export interface ModuleDetailVersion extends CatalogDetailVersion {
  readonly stored: boolean;
}

/** An entry's catalog facts (null when the cache does not have it) with every known version, newest first. */
export interface CatalogDetail<V> {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string | null;
  readonly entry: Omit<StoredCatalogEntry, "versions"> | null;
  readonly live: LiveLookup;
  readonly constraint: string | null;
  readonly versions: readonly V[];
}

export interface DetailOptions {
  readonly constraint?: string;
  readonly offline?: boolean;
}

export interface ProviderVersionSource {
  providerVersionsWithPlatforms(
    host: string,
    namespace: string,
    type: string,
  ): Promise<
    { version: string; protocols: readonly string[]; platforms: readonly { os: string; arch: string }[] }[]
  >;
}

export interface CatalogDetailDeps {
  readonly cache: CatalogRepository;
  readonly inventory: () => Inventory;
  readonly providerSource: ProviderVersionSource;
  readonly moduleVersions: (
    host: string,
    namespace: string,
    name: string,
    system: string,
  ) => Promise<string[]>;
}

/** A provider's versions from the cache and the live `versions` endpoint, with stored platforms and matches. */
export async function providerDetail(
  deps: CatalogDetailDeps,
  key: Omit<CatalogKey, "kind" | "system">,
  options: DetailOptions,
): Promise<CatalogDetail<ProviderDetailVersion>> {
  const full: CatalogKey = { ...key, kind: "provider", system: null };
  const constraint = constraintOf(options.constraint);
  const live = new Map<string, { protocols: readonly string[]; platforms: readonly CatalogPlatform[] }>();
  const status = await ask(options, async () => {
    const answer = await deps.providerSource.providerVersionsWithPlatforms(key.host, key.namespace, key.name);
    for (const entry of answer) {
      const platforms = entry.platforms.map((platform) => ({
        os: platform.os,
        arch: platform.arch,
        size: null,
      }));
      live.set(entry.version, { protocols: entry.protocols, platforms });
    }
    rememberVersions(deps.cache, full, [...live.keys()]);
  });
  const base = assemble(deps, full, constraint, status, [...live.keys()]);
  const stored = storedVersions(deps.inventory(), full);
  return {
    ...base,
    versions: base.versions.map((version) => ({
      ...version,
      protocols: live.get(version.version)?.protocols ?? null,
      platforms: live.get(version.version)?.platforms ?? null,
      stored: stored.get(version.version) ?? [],
    })),
  };
}

/** A module's versions from the cache and the live modules `versions` endpoint, with stored marks and matches. */
export async function moduleDetail(
  deps: CatalogDetailDeps,
  key: Omit<CatalogKey, "kind"> & { readonly system: string },
  options: DetailOptions,
): Promise<CatalogDetail<ModuleDetailVersion>> {
  const full: CatalogKey = { ...key, kind: "module" };
  const constraint = constraintOf(options.constraint);
  let liveList: string[] = [];
  const status = await ask(options, async () => {
    liveList = await deps.moduleVersions(key.host, key.namespace, key.name, key.system);
    rememberVersions(deps.cache, full, liveList);
  });
  const base = assemble(deps, full, constraint, status, liveList);
  const stored = storedVersions(deps.inventory(), full);
  return {
    ...base,
    versions: base.versions.map((version) => ({ ...version, stored: stored.has(version.version) })),
  };
}

/** A bad constraint is the caller's mistake, reported before any request. */
function constraintOf(text: string | undefined): VersionConstraint | null {
  return text === undefined || text.trim() === "" ? null : parseVersionConstraint(text);
}

/** Runs the live request unless offline; a missing address or a failure becomes the status, not an error. */
async function ask(options: DetailOptions, fetchLive: () => Promise<void>): Promise<LiveLookup> {
  if (options.offline === true) return { status: "offline" };
  try {
    await fetchLive();
    return { status: "fetched" };
  } catch (error) {
    if (error instanceof LarderError && error.code === "not_found") return { status: "not-found" };
    return { status: "failed", message: errorMessage(error) };
  }
}

/** The union of cached, live and stored versions; not_found when none of the three knows the address. */
function assemble(
  deps: CatalogDetailDeps,
  key: CatalogKey,
  constraint: VersionConstraint | null,
  live: LiveLookup,
  liveList: readonly string[],
): CatalogDetail<CatalogDetailVersion> {
  const cached = deps.cache.entry(key.host, key.kind, key.namespace, key.name, key.system);
  const stored = storedVersions(deps.inventory(), key);
  const dates = new Map((cached?.versions ?? []).map((version) => [version.version, version.publishedAt]));
  const all = new Set([...dates.keys(), ...liveList, ...stored.keys()]);
  const address = [key.host, key.namespace, key.name, ...(key.system === null ? [] : [key.system])].join("/");
  if (!cached && all.size === 0) {
    const asked =
      live.status === "offline"
        ? "offline, so the registry was not asked"
        : live.status === "failed"
          ? `the registry could not be asked: ${live.message}`
          : `the registry ${key.host} does not have it`;
    throw new LarderError(
      "not_found",
      `No ${key.kind} ${address}: not in the catalog cache, not stored, and ${asked}.`,
    );
  }
  const versions = newestFirst(
    [...all].map((version) => ({ version, publishedAt: dates.get(version) ?? null })),
  );
  const entry = cached ? withoutVersions(cached) : null;
  return {
    host: key.host,
    namespace: cached?.namespace ?? key.namespace,
    name: cached?.name ?? key.name,
    system: key.system,
    entry,
    live,
    constraint: constraint?.text ?? null,
    versions: versions.map((version) => ({ ...version, matches: matchOf(constraint, version.version) })),
  };
}

/** The entry's facts; its versions are the detail's own list, merged with the live and stored ones. */
function withoutVersions(entry: StoredCatalogEntry): Omit<StoredCatalogEntry, "versions"> {
  return Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "versions")) as Omit<
    StoredCatalogEntry,
    "versions"
  >;
}

function matchOf(constraint: VersionConstraint | null, text: string): boolean | null {
  if (constraint === null) return null;
  const version = parseVersion(text);
  return version !== undefined && constraint.matches(version);
}
