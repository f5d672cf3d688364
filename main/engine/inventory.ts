import { clientsOfHost, type RegistryClient } from "../core/clients.js";
import { compareVersionStrings } from "../core/version.js";
import type { ModuleVersionRecord } from "../db/module-repository.js";
import type { StoredPackage } from "../db/provider-repository.js";

// The stored tree for the admin API and tooling. Plain JSON data only (no classes, Dates or Maps), so the HTTP
// layer can send it as is. Sizes are archive bytes; the small SHA256SUMS and signature files are in DiskUsage.

/** One stored platform: the archive and the hashes a network mirror reports for it. */
export interface InventoryPlatform {
  readonly os: string;
  readonly arch: string;
  readonly filename: string;
  readonly size: number;
  readonly sha256: string;
  readonly h1: string;
  /** `zh:` + sha256 of the zip, as in the network mirror's `hashes`. */
  readonly zh: string;
}

/** One stored provider version. */
export interface InventoryProviderVersion {
  readonly version: string;
  /** False for a keyless registry.opentofu.org provider stored on its checksums alone. */
  readonly signed: boolean;
  /** The key that made the verified signature; null when unsigned. */
  readonly keyId: string | null;
  readonly bytes: number;
  readonly platforms: readonly InventoryPlatform[];
}

export interface InventoryProvider {
  readonly namespace: string;
  readonly type: string;
  readonly bytes: number;
  /** Newest first. */
  readonly versions: readonly InventoryProviderVersion[];
}

export interface InventoryModuleVersion {
  readonly version: string;
  readonly size: number;
  readonly sha256: string;
  readonly sourceKind: "archive" | "github" | "git";
}

export interface InventoryModule {
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
  readonly bytes: number;
  /** Newest first. */
  readonly versions: readonly InventoryModuleVersion[];
}

export interface InventoryHost {
  readonly host: string;
  /** Which served clients read host-less addresses as this host; [] for any other host. */
  readonly clients: readonly RegistryClient[];
  readonly bytes: number;
  readonly providers: readonly InventoryProvider[];
  readonly modules: readonly InventoryModule[];
}

/** Everything stored, by host. */
export interface Inventory {
  /** Archive bytes on disk: a zip stored under two hosts is one blob, counted once here and in each host. */
  readonly totalBytes: number;
  readonly hosts: readonly InventoryHost[];
}

/** Builds the tree from the stored rows (any order) and the clients the mirror serves. */
export function buildInventory(
  packages: readonly StoredPackage[],
  modules: readonly ModuleVersionRecord[],
  clients: readonly RegistryClient[],
): Inventory {
  const hosts = [...new Set([...packages.map((pkg) => pkg.release.host), ...modules.map((m) => m.host)])];
  const tree = hosts.sort().map((host): InventoryHost => {
    const providers = providersOf(packages.filter((pkg) => pkg.release.host === host));
    const hostModules = modulesOf(modules.filter((module) => module.host === host));
    return {
      host,
      clients: clientsOfHost(host, clients),
      bytes: sum(providers) + sum(hostModules),
      providers,
      modules: hostModules,
    };
  });
  const blobs = new Map<string, number>();
  for (const pkg of packages) blobs.set(pkg.archiveBlob, pkg.size);
  for (const module of modules) blobs.set(module.archiveBlob, module.size);
  return { totalBytes: [...blobs.values()].reduce((a, b) => a + b, 0), hosts: tree };
}

function providersOf(packages: readonly StoredPackage[]): InventoryProvider[] {
  const byName = groupBy(packages, (pkg) => `${pkg.release.namespace}/${pkg.release.type}`);
  return [...byName.values()].map((group) => {
    const first = group[0]?.release;
    const versions = [...groupBy(group, (pkg) => pkg.release.version).values()]
      .map((platforms): InventoryProviderVersion => {
        const release = platforms[0]?.release;
        const listed = platforms
          .map((pkg) => ({
            os: pkg.os,
            arch: pkg.arch,
            filename: pkg.filename,
            size: pkg.size,
            sha256: pkg.archiveBlob,
            h1: pkg.h1,
            zh: `zh:${pkg.archiveBlob}`,
          }))
          .sort((a, b) => `${a.os}_${a.arch}`.localeCompare(`${b.os}_${b.arch}`));
        return {
          version: release?.version ?? "",
          signed: release?.signed ?? false,
          keyId: release?.verifiedKeyId ? release.verifiedKeyId : null,
          bytes: listed.reduce((total, platform) => total + platform.size, 0),
          platforms: listed,
        };
      })
      .sort((a, b) => compareVersionStrings(b.version, a.version));
    return { namespace: first?.namespace ?? "", type: first?.type ?? "", bytes: sum(versions), versions };
  });
}

function modulesOf(modules: readonly ModuleVersionRecord[]): InventoryModule[] {
  const byName = groupBy(modules, (module) => `${module.namespace}/${module.name}/${module.system}`);
  return [...byName.values()].map((group) => {
    const versions = group
      .map((module) => ({
        version: module.version,
        size: module.size,
        sha256: module.archiveBlob,
        sourceKind: module.sourceKind,
      }))
      .sort((a, b) => compareVersionStrings(b.version, a.version));
    const first = group[0];
    return {
      namespace: first?.namespace ?? "",
      name: first?.name ?? "",
      system: first?.system ?? "",
      bytes: versions.reduce((total, version) => total + version.size, 0),
      versions,
    };
  });
}

/** Groups in key order (sorted), keeping each group's input order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => key(a).localeCompare(key(b)))) {
    const name = key(item);
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

function sum(entries: readonly { readonly bytes: number }[]): number {
  return entries.reduce((total, entry) => total + entry.bytes, 0);
}
