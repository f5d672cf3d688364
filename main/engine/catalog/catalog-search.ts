import type { CatalogKind } from "../../core/catalog.js";
import type { CatalogHit } from "../../core/catalog-query.js";
import { defaultHostsOf, type RegistryClient } from "../../core/clients.js";
import { LarderError } from "../../core/errors.js";
import type { CatalogRepository } from "../../db/catalog-repository.js";
import type { Inventory } from "../inventory.js";
import { addressesOf, lookUp, type CatalogLookup, type VersionSource } from "./catalog-lookup.js";
import { storedMark, storedVersions, type StoredMark } from "./catalog-stored.js";

/** A search as the CLI and the admin API ask it. */
export interface CatalogSearchQuery {
  readonly text: string;
  /** Only these registry hosts; absent: every host. */
  readonly registries?: readonly string[];
  readonly kind?: CatalogKind;
  readonly tier?: string;
  /** 1 to MAX_SEARCH_LIMIT; default DEFAULT_SEARCH_LIMIT. */
  readonly limit?: number;
  readonly offset?: number;
  /** Answer from the cache alone: no address look-ups. */
  readonly offline?: boolean;
}

export type CatalogSearchHit = CatalogHit & { readonly stored: StoredMark };

export interface CatalogSearchResult {
  readonly results: readonly CatalogSearchHit[];
  /** True when answered from the cache alone. */
  readonly offline: boolean;
  /** Per registry host searched: when its catalog's last refresh finished (providers or modules), or null. */
  readonly refreshedAt: Readonly<Record<string, string | null>>;
  /** The live look-ups an address-shaped query made (none offline). */
  readonly lookedUp: readonly CatalogLookup[];
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 200;

export interface CatalogSearchDeps {
  readonly cache: CatalogRepository;
  readonly source: VersionSource;
  readonly inventory: () => Inventory;
  readonly clients: () => readonly RegistryClient[];
}

/**
 * Searches the catalog cache. An address-shaped query is first looked up live (unless offline), so what a
 * registry answers, private ones included, is in the cache before the cache is searched.
 */
export async function searchCatalog(
  deps: CatalogSearchDeps,
  query: CatalogSearchQuery,
): Promise<CatalogSearchResult> {
  const limit = query.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new LarderError("invalid_input", `Invalid limit ${limit}: use 1 to ${MAX_SEARCH_LIMIT}.`);
  }
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new LarderError("invalid_input", `Invalid offset ${offset}: use a whole number from 0.`);
  }
  const offline = query.offline === true;
  const hosts = query.registries?.map((host) => host.toLowerCase());
  const keys = offline
    ? []
    : addressesOf(query.text, deps.clients()).filter(
        (key) =>
          (hosts === undefined || hosts.includes(key.host)) &&
          (query.kind === undefined || query.kind === key.kind),
      );
  const lookedUp = await Promise.all(keys.map((key) => lookUp(deps.source, deps.cache, key)));
  const hits = deps.cache.search({
    text: query.text,
    limit,
    offset,
    ...(hosts === undefined ? {} : { hosts }),
    ...(query.kind === undefined ? {} : { kind: query.kind }),
    ...(query.tier === undefined ? {} : { tier: query.tier }),
  });
  const inventory = deps.inventory();
  const results = hits.map((hit) => ({
    ...hit,
    stored: storedMark(storedVersions(inventory, hit), hit.latestVersion),
  }));
  const shown = hosts ?? [...new Set([...defaultHostsOf(deps.clients()), ...hits.map((hit) => hit.host)])];
  return { results, offline, refreshedAt: refreshTimes(deps.cache, shown), lookedUp };
}

/** The latest finished refresh of either of a host's catalogs: what "refreshed 2 h ago" means to a person. */
function refreshTimes(cache: CatalogRepository, hosts: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(
    hosts.map((host) => {
      const times = (["provider", "module"] as const)
        .map((kind) => cache.sourceState(host, kind)?.finishedAt ?? null)
        .filter((time): time is string => time !== null)
        .sort();
      return [host, times.at(-1) ?? null];
    }),
  );
}
