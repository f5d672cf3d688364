import type { PackageSizeRecord, PackageSizeRepository } from "../../db/package-size-repository.js";
import type { Inventory } from "../inventory.js";
import type { CatalogDetail, ProviderDetailVersion } from "./catalog-detail.js";

// The answer shapes of size estimates (issue 12) and what the mirror already knows without asking anyone: the
// stored archives' exact sizes and the cached estimates. The network part is package-size-estimator.ts.

/** Where a size came from; `unknown` comes with a reason. */
export type SizeSource = "stored" | "registry" | "head" | "cached" | "unknown";

/** The estimate for one provider version on one platform. */
export interface ProviderSizeEstimate {
  readonly version: string;
  /** `linux_amd64`. */
  readonly platform: string;
  readonly size: number | null;
  readonly source: SizeSource;
  /** Why the size is unknown (`source: "unknown"` only). */
  readonly reason?: string;
  /** When a cached estimate was fetched (`source: "cached"` only). */
  readonly fetchedAt?: string;
}

/** The estimate for one module version: exact when stored, else unknown (a git source is not sized cheaply). */
export interface ModuleSizeEstimate {
  readonly version: string;
  readonly size: number | null;
  readonly source: "stored" | "unknown";
  readonly reason?: string;
}

/** Estimates with the sum of the known ones and whether every one is known. */
export interface SizeEstimates<E> {
  readonly sizes: readonly E[];
  readonly total: number;
  readonly complete: boolean;
}

/** Names a provider in the mirror and the registry. */
export interface ProviderKey {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

/** Why a module version's size is not known: only a download tells. */
export const MODULE_SIZE_UNKNOWN = "unknown until downloaded";

/** "5.1.0 linux_amd64": the key of one package in the maps below. */
export function packageKey(version: string, platform: string): string {
  return `${version} ${platform}`;
}

/** Exact archive sizes of a provider's stored packages, by packageKey. Compared without case, like storedVersions. */
export function storedSizes(inventory: Inventory, key: ProviderKey): Map<string, number> {
  const host = inventory.hosts.find((candidate) => same(candidate.host, key.host));
  const provider = host?.providers.find(
    (candidate) => same(candidate.namespace, key.namespace) && same(candidate.type, key.type),
  );
  const sizes = new Map<string, number>();
  for (const version of provider?.versions ?? []) {
    for (const platform of version.platforms) {
      sizes.set(packageKey(version.version, `${platform.os}_${platform.arch}`), platform.size);
    }
  }
  return sizes;
}

/** Cached estimates by packageKey. */
export function cachedSizes(records: readonly PackageSizeRecord[]): Map<string, PackageSizeRecord> {
  return new Map(
    records.map((record) => [packageKey(record.version, `${record.os}_${record.arch}`), record]),
  );
}

/**
 * Fills the `size` of each listed platform from what is known without a request (stored, then cached), for the
 * detail answer, which must not wait on a `HEAD` per platform.
 */
export function withKnownSizes<V extends ProviderDetailVersion>(
  versions: readonly V[],
  stored: ReadonlyMap<string, number>,
  cached: ReadonlyMap<string, PackageSizeRecord>,
): V[] {
  return versions.map((version) => {
    if (version.platforms === null) return version;
    const platforms = version.platforms.map((platform) => {
      const key = packageKey(version.version, `${platform.os}_${platform.arch}`);
      return { ...platform, size: stored.get(key) ?? cached.get(key)?.size ?? platform.size };
    });
    return { ...version, platforms };
  });
}

/**
 * A provider detail with the sizes known without a request. When the registry's list was fetched, cached sizes of
 * versions it no longer lists are dropped: a published package never changes, so that is their only way to stale.
 */
export function sizedProviderDetail(
  detail: CatalogDetail<ProviderDetailVersion>,
  cache: PackageSizeRepository,
  inventory: Inventory,
): CatalogDetail<ProviderDetailVersion> {
  const key = { host: detail.host, namespace: detail.namespace, type: detail.name };
  if (detail.live.status === "fetched") {
    // Versions the live answer listed are exactly those with protocols (see providerDetail).
    const listed = detail.versions.filter((version) => version.protocols !== null);
    cache.keepOnlyVersions(
      key,
      listed.map((version) => version.version),
    );
  }
  const versions = withKnownSizes(
    detail.versions,
    storedSizes(inventory, key),
    cachedSizes(cache.sizesOf(key)),
  );
  return { ...detail, versions };
}

/** Module versions' sizes: the stored archive's, else unknown; never a request. */
export function moduleSizes(
  inventory: Inventory,
  key: { host: string; namespace: string; name: string; system: string },
  versions: readonly string[],
): SizeEstimates<ModuleSizeEstimate> {
  const host = inventory.hosts.find((candidate) => same(candidate.host, key.host));
  const module = host?.modules.find(
    (candidate) =>
      same(candidate.namespace, key.namespace) &&
      same(candidate.name, key.name) &&
      same(candidate.system, key.system),
  );
  const stored = new Map((module?.versions ?? []).map((version) => [version.version, version.size]));
  const sizes = [...new Set(versions)].map((version): ModuleSizeEstimate => {
    const size = stored.get(version);
    return size === undefined
      ? { version, size: null, source: "unknown", reason: MODULE_SIZE_UNKNOWN }
      : { version, size, source: "stored" };
  });
  return summed(sizes);
}

/** Adds the total and the completeness to a list of estimates. */
export function summed<E extends { readonly size: number | null }>(sizes: readonly E[]): SizeEstimates<E> {
  return {
    sizes,
    total: sizes.reduce((total, estimate) => total + (estimate.size ?? 0), 0),
    complete: sizes.every((estimate) => estimate.size !== null),
  };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
