import {
  latestCatalogVersion,
  newestFirst,
  type CatalogEntry,
  type CatalogKind,
  type CatalogVersion,
} from "../../core/catalog.js";
import { parseCatalogText } from "../../core/catalog-query.js";
import { defaultHostsOf, type RegistryClient } from "../../core/clients.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { tryParseModuleAddress } from "../../core/module-address.js";
import { parseProviderAddress } from "../../core/provider-address.js";
import type { CatalogRepository } from "../../db/catalog-repository.js";
import type { CatalogKey } from "./catalog-stored.js";

/** One live look-up of an address-shaped query, as a search reports it. */
export interface CatalogLookup {
  readonly host: string;
  readonly kind: CatalogKind;
  /** `namespace/name` or `namespace/name/system`. */
  readonly address: string;
  readonly outcome: "found" | "not-found" | "failed";
  /** Why it failed (unreachable, refused); absent otherwise. */
  readonly message?: string;
}

/** How the engine asks a registry's `versions` endpoint: provider versions, or module versions. */
export interface VersionSource {
  providerVersions(host: string, namespace: string, type: string): Promise<string[]>;
  moduleVersions(host: string, namespace: string, name: string, system: string): Promise<string[]>;
}

/**
 * The addresses an address-shaped text names: `ns/type` is a provider, `ns/name/system` a module, each on the
 * text's host or, host-less, on the default host of every client the mirror serves. Text that does not parse as
 * an address (a bare word, a prefix like `hashicorp/`) names none: only the cache is searched.
 */
export function addressesOf(text: string, clients: readonly RegistryClient[]): CatalogKey[] {
  const parsed = parseCatalogText(text);
  const address = parsed.address;
  if (address?.namespace == null || address.name === "") return [];
  const hosts = parsed.host === null ? defaultHostsOf(clients) : [parsed.host];
  const keys: CatalogKey[] = [];
  for (const host of hosts) {
    if (address.system === null) {
      try {
        const provider = parseProviderAddress(`${host}/${address.namespace}/${address.name}`);
        const key = { host: provider.host, kind: "provider" as const, system: null };
        keys.push({ ...key, namespace: provider.namespace, name: provider.type });
      } catch {
        // Not a valid provider address: nothing to look up.
      }
    } else {
      const module = tryParseModuleAddress(`${host}/${address.namespace}/${address.name}/${address.system}`);
      if (typeof module !== "string") keys.push({ ...module.address, kind: "module" });
    }
  }
  return keys;
}

/** The versions the registry lists for the key; undefined when it has no such address. */
export async function liveVersions(source: VersionSource, key: CatalogKey): Promise<string[] | undefined> {
  try {
    return key.kind === "provider"
      ? await source.providerVersions(key.host, key.namespace, key.name)
      : await source.moduleVersions(key.host, key.namespace, key.name, key.system ?? "");
  } catch (error) {
    if (error instanceof LarderError && error.code === "not_found") return undefined;
    throw error;
  }
}

/**
 * Remembers what a registry answered in the catalog cache, so an address of a private registry (which has no
 * catalog API) is found by later searches, offline too. An entry a refresh wrote keeps its description, tier and
 * popularity and the dates of the versions it knew; only the version list grows.
 */
export function rememberVersions(
  cache: CatalogRepository,
  key: CatalogKey,
  versions: readonly string[],
): void {
  const cached = cache.entry(key.host, key.kind, key.namespace, key.name, key.system);
  const dates = new Map((cached?.versions ?? []).map((version) => [version.version, version.publishedAt]));
  const merged: CatalogVersion[] = newestFirst([
    ...(cached?.versions ?? []),
    ...versions.filter((version) => !dates.has(version)).map((version) => ({ version, publishedAt: null })),
  ]);
  const entry: CatalogEntry = {
    host: key.host,
    kind: key.kind,
    namespace: cached?.namespace ?? key.namespace,
    name: cached?.name ?? key.name,
    system: key.system,
    description: cached?.description ?? "",
    tier: cached?.tier ?? null,
    verified: cached?.verified ?? false,
    popularity: cached?.popularity ?? 0,
    source: cached?.source ?? null,
    latestVersion: latestCatalogVersion(merged) ?? cached?.latestVersion ?? null,
    versions: merged,
  };
  cache.upsertEntries([entry], new Date().toISOString());
}

/** Looks one address up live and remembers it; a failure is reported, never thrown (a search still answers). */
export async function lookUp(
  source: VersionSource,
  cache: CatalogRepository,
  key: CatalogKey,
): Promise<CatalogLookup> {
  const address =
    key.system === null ? `${key.namespace}/${key.name}` : `${key.namespace}/${key.name}/${key.system}`;
  const base = { host: key.host, kind: key.kind, address };
  try {
    const versions = await liveVersions(source, key);
    if (versions === undefined) return { ...base, outcome: "not-found" };
    rememberVersions(cache, key, versions);
    return { ...base, outcome: "found" };
  } catch (error) {
    return { ...base, outcome: "failed", message: errorMessage(error) };
  }
}
