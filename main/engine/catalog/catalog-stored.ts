import type { CatalogKind } from "../../core/catalog.js";
import type { Inventory, InventoryHost } from "../inventory.js";

/**
 * How much of a catalog entry is stored: `stored` = its latest version is (any platform), `partly` = some other
 * version is, `not-stored` = nothing. Deliberately simple: "every version on every platform" would mark nothing
 * stored, since nobody mirrors a provider's whole history.
 */
export type StoredMark = "stored" | "partly" | "not-stored";

/** What names an entry, as a hit or a detail does. */
export interface CatalogKey {
  readonly host: string;
  readonly kind: CatalogKind;
  readonly namespace: string;
  readonly name: string;
  readonly system: string | null;
}

/**
 * Stored versions of an entry → stored platforms (`linux_amd64`; modules have none, so []). Compared without case:
 * provider addresses are stored lower-case while catalogs may spell them otherwise.
 */
export function storedVersions(inventory: Inventory, key: CatalogKey): Map<string, string[]> {
  const host = inventory.hosts.find((candidate) => same(candidate.host, key.host));
  return host ? versionsIn(host, key) : new Map<string, string[]>();
}

function versionsIn(host: InventoryHost, key: CatalogKey): Map<string, string[]> {
  if (key.kind === "provider") {
    const provider = host.providers.find(
      (candidate) => same(candidate.namespace, key.namespace) && same(candidate.type, key.name),
    );
    return new Map(
      (provider?.versions ?? []).map((version) => [
        version.version,
        version.platforms.map((platform) => `${platform.os}_${platform.arch}`),
      ]),
    );
  }
  const module = host.modules.find(
    (candidate) =>
      same(candidate.namespace, key.namespace) &&
      same(candidate.name, key.name) &&
      same(candidate.system, key.system ?? ""),
  );
  return new Map((module?.versions ?? []).map((version) => [version.version, []]));
}

/** The mark of an entry whose latest version is `latest` (null when the catalog does not know it). */
export function storedMark(stored: ReadonlyMap<string, unknown>, latest: string | null): StoredMark {
  if (stored.size === 0) return "not-stored";
  return latest !== null && stored.has(latest) ? "stored" : "partly";
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
