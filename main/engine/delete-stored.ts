import { LarderError } from "../core/errors.js";
import { sortVersionStrings } from "../core/version.js";
import type { ModuleRepository } from "../db/module-repository.js";
import type { ProviderRepository } from "../db/provider-repository.js";

/** One provider version to delete, or one platform of it. */
export interface ProviderDeleteTarget {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
  readonly platform?: { readonly os: string; readonly arch: string };
}

/** One module version to delete. */
export interface ModuleDeleteTarget {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
  readonly version: string;
}

/**
 * Deletes a provider platform or version from the rows the protocol routes read (one transaction, see
 * ProviderRepository.deletePackages); its blobs stay for `larder gc`. Nothing matched is a not_found error that
 * says what is stored instead.
 */
export function deleteProvider(
  providers: ProviderRepository,
  target: ProviderDeleteTarget,
): { packages: number } {
  const packages = providers.deletePackages(target, target.platform);
  if (packages > 0) return { packages };
  const name = `${target.host}/${target.namespace}/${target.type}`;
  const platforms = providers.listPlatforms(target.host, target.namespace, target.type);
  const versions = sortVersionStrings([...new Set(platforms.map((entry) => entry.version))]);
  if (versions.length === 0) {
    throw new LarderError("not_found", `Provider ${name} is not stored. Run larder list to see what is.`);
  }
  if (!versions.includes(target.version) || !target.platform) {
    throw new LarderError(
      "not_found",
      `Provider ${name} ${target.version} is not stored; stored versions: ${versions.join(", ")} (see larder list).`,
    );
  }
  const stored = platforms
    .filter((entry) => entry.version === target.version)
    .map((entry) => `${entry.os}_${entry.arch}`);
  throw new LarderError(
    "not_found",
    `Provider ${name} ${target.version} has no ${target.platform.os}_${target.platform.arch} package; stored platforms: ${stored.join(", ")} (see larder list).`,
  );
}

/** Deletes a module version from the rows the protocol routes read; its blob stays for `larder gc`. */
export function deleteModule(modules: ModuleRepository, target: ModuleDeleteTarget): { modules: number } {
  const deleted = modules.delete(target);
  if (deleted > 0) return { modules: deleted };
  const name = `${target.host}/${target.namespace}/${target.name}/${target.system}`;
  const versions = sortVersionStrings(
    modules
      .listVersions(target.host, target.namespace, target.name, target.system)
      .map((entry) => entry.version),
  );
  throw new LarderError(
    "not_found",
    versions.length === 0
      ? `Module ${name} is not stored. Run larder list to see what is.`
      : `Module ${name} ${target.version} is not stored; stored versions: ${versions.join(", ")} (see larder list).`,
  );
}
