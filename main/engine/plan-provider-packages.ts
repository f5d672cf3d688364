import { formatPlatform, parsePlatform, platformOf, type Platform } from "../core/platform.js";
import { formatProviderAddress, parseProviderAddress } from "../core/provider-address.js";
import { parseVersionConstraint } from "../core/version-constraint.js";
import type { ProviderRepository } from "../db/provider-repository.js";
import type {
  ProviderRegistryClient,
  UpstreamProviderVersion,
} from "../upstream/provider-registry-client.js";
import { describePackage, type ProviderPackageRef } from "./provider-package-ref.js";
import { exactVersions, selectVersions } from "./select-versions.js";

/** What planning needs: the registry and what is stored. */
export interface PlanDependencies {
  readonly registry: ProviderRegistryClient;
  readonly providers: ProviderRepository;
}

/** The provider part of a mirror request. */
export interface ProviderSelection {
  readonly address: string;
  readonly versions: readonly string[];
  readonly allVersions?: boolean;
  readonly platforms: readonly string[];
}

/** One planned package; `refusal` when upstream does not offer that platform of that version. */
export interface PlannedPackage {
  readonly ref: ProviderPackageRef;
  readonly refusal?: string;
}

/**
 * Resolves a request to packages (versions × platforms). Constraints are validated before any request; when every
 * version is exact and stored, no request is made at all, so a re-run is a no-op even offline.
 */
export async function planProviderPackages(
  deps: PlanDependencies,
  request: ProviderSelection,
  signal?: AbortSignal,
): Promise<PlannedPackage[]> {
  const address = parseProviderAddress(request.address);
  const platforms =
    request.platforms.length > 0
      ? unique(request.platforms.map(parsePlatform))
      : [platformOf(process.platform, process.arch)];
  request.versions.forEach(parseVersionConstraint);
  const exact = request.allVersions ? undefined : exactVersions(request.versions);
  const isStored = (version: string, platform: Platform): boolean =>
    deps.providers.findPackage({ ...address, version }, platform.os, platform.arch) !== undefined;

  let upstream: UpstreamProviderVersion[] | undefined;
  let versions: string[];
  if (exact && exact.every((version) => platforms.every((platform) => isStored(version, platform)))) {
    versions = exact;
  } else {
    upstream = await deps.registry.listVersions(address, signal);
    versions = selectVersions(
      formatProviderAddress(address),
      upstream.map((entry) => entry.version),
      request.versions,
      request.allVersions ?? false,
    );
  }
  return versions.flatMap((version) =>
    platforms.map((platform) => {
      const ref = { address, version, platform };
      const offered = upstream?.find((entry) => entry.version === version)?.platforms ?? [];
      const missing =
        offered.length > 0 &&
        !isStored(version, platform) &&
        !offered.some((p) => p.os === platform.os && p.arch === platform.arch);
      return missing
        ? {
            ref,
            refusal: `Provider ${describePackage(ref)} is not available upstream; that version offers ${offered.map(formatPlatform).join(", ")}.`,
          }
        : { ref };
    }),
  );
}

function unique(platforms: readonly Platform[]): Platform[] {
  return [...new Map(platforms.map((platform) => [formatPlatform(platform), platform])).values()];
}
