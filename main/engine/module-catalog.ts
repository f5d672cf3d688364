import { compareVersions, parseVersion, sortVersionStrings } from "../core/version.js";
import type { ModuleRepository, ModuleVersionKey } from "../db/module-repository.js";

/** A module as the serving side names it. */
export interface ModuleCoordinates {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
}

/** Where a stored version's archive is served and which subdirectory holds the module. */
export interface ModuleDownload {
  readonly archivePath: string;
  readonly subdir: string;
}

/** Read side of the module mirror: only stored versions are ever listed. */
export class ModuleCatalog {
  constructor(private readonly modules: ModuleRepository) {}

  /** Stored versions, oldest first; undefined when nothing is stored for the module. */
  versions(module: ModuleCoordinates): string[] | undefined {
    const versions = this.modules
      .listVersions(module.host, module.namespace, module.name, module.system)
      .map((row) => row.version);
    if (versions.length === 0) return undefined;
    return versions.sort((a, b) => {
      const va = parseVersion(a);
      const vb = parseVersion(b);
      return va && vb ? compareVersions(va, vb) : a.localeCompare(b);
    });
  }

  /** The archive path and subdirectory to answer a download request with. */
  download(key: ModuleVersionKey): ModuleDownload | undefined {
    const stored = this.modules.find(key);
    return stored && { archivePath: moduleArchivePath(stored), subdir: stored.subdir };
  }

  /** The blob behind `/files/modules/…/{version}.tar.gz`. */
  archive(key: ModuleVersionKey): { readonly sha256: string } | undefined {
    const stored = this.modules.find(key);
    return stored && { sha256: stored.archiveBlob };
  }
}

/** Stored and upstream versions together (pull-through), oldest first, without duplicates or invalid ones. */
export function mergeModuleVersions(stored: readonly string[], upstream: readonly string[]): string[] {
  return sortVersionStrings([...new Set([...stored, ...upstream])]);
}

/** `/files/modules/HOST/NAMESPACE/NAME/SYSTEM/VERSION.tar.gz`, with the stored namespace/name case. */
export function moduleArchivePath(key: ModuleVersionKey): string {
  return `/files/modules/${key.host}/${key.namespace}/${key.name}/${key.system}/${encodeURIComponent(key.version)}.tar.gz`;
}
