import type { ModuleAddress } from "../core/module-address.js";
import type { Platform } from "../core/platform.js";
import type { ProviderAddress } from "../core/provider-address.js";
import { parseVersion } from "../core/version.js";
import type { VersionConstraint } from "../core/version-constraint.js";

/**
 * What an export takes from the mirror. With no provider and no module address, everything; with some, only
 * those. The version constraint applies to both, the platforms to providers only.
 */
export interface BundleSelection {
  readonly providers: readonly ProviderAddress[];
  readonly modules: readonly ModuleAddress[];
  readonly version?: VersionConstraint;
  readonly platforms: readonly Platform[];
}

/** Everything the mirror holds. */
export const SELECT_ALL: BundleSelection = { providers: [], modules: [], platforms: [] };

function everything(selection: BundleSelection): boolean {
  return selection.providers.length === 0 && selection.modules.length === 0;
}

function versionMatches(selection: BundleSelection, version: string): boolean {
  if (!selection.version) return true;
  const parsed = parseVersion(version);
  return parsed !== undefined && selection.version.matches(parsed);
}

/** True when a stored provider package is part of the selection. */
export function selectsProviderPackage(
  selection: BundleSelection,
  pkg: { host: string; namespace: string; type: string; version: string; os: string; arch: string },
): boolean {
  const named =
    everything(selection) ||
    selection.providers.some(
      (address) =>
        address.host === pkg.host && address.namespace === pkg.namespace && address.type === pkg.type,
    );
  const onPlatform =
    selection.platforms.length === 0 ||
    selection.platforms.some((platform) => platform.os === pkg.os && platform.arch === pkg.arch);
  return named && onPlatform && versionMatches(selection, pkg.version);
}

/** True when a stored module version is part of the selection (namespace and name compare without case). */
export function selectsModuleVersion(
  selection: BundleSelection,
  module: { host: string; namespace: string; name: string; system: string; version: string },
): boolean {
  const named =
    everything(selection) ||
    selection.modules.some(
      (address) =>
        address.host === module.host &&
        address.namespace.toLowerCase() === module.namespace.toLowerCase() &&
        address.name.toLowerCase() === module.name.toLowerCase() &&
        address.system === module.system,
    );
  return named && versionMatches(selection, module.version);
}
