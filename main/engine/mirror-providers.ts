import pLimit from "p-limit";
import { errorMessage } from "../core/errors.js";
import { formatPlatform, parsePlatform, platformOf, type Platform } from "../core/platform.js";
import { formatProviderAddress, parseProviderAddress } from "../core/provider-address.js";
import { parseVersionConstraint } from "../core/version-constraint.js";
import type { ProviderRepository } from "../db/provider-repository.js";
import type {
  ProviderRegistryClient,
  UpstreamProviderVersion,
} from "../upstream/provider-registry-client.js";
import { ingestProviderPackage, type IngestDependencies } from "./ingest-provider-package.js";
import { describePackage, type ProviderPackageRef } from "./provider-package-ref.js";
import { exactVersions, selectVersions } from "./select-versions.js";

/** What to mirror: one provider, some versions, some platforms. */
export interface MirrorProvidersRequest {
  readonly address: string;
  /** Terraform version constraints; each selects its newest match (or every match with allVersions). */
  readonly versions: readonly string[];
  readonly allVersions?: boolean;
  /** `os_arch` names; empty means this machine's platform. */
  readonly platforms: readonly string[];
  readonly concurrency?: number;
}

/** Events a mirror run reports, for progress bars and logs. */
export type MirrorEvent =
  | { readonly kind: "planned"; readonly items: readonly ProviderPackageRef[] }
  | { readonly kind: "skipped"; readonly item: ProviderPackageRef }
  | { readonly kind: "started"; readonly item: ProviderPackageRef }
  | {
      readonly kind: "progress";
      readonly item: ProviderPackageRef;
      readonly bytesDone: number;
      readonly bytesTotal: number | undefined;
    }
  | { readonly kind: "stored"; readonly item: ProviderPackageRef; readonly size: number }
  | { readonly kind: "failed"; readonly item: ProviderPackageRef; readonly message: string };

/** The outcome of a mirror run: which packages were stored, already there, or refused and why. */
export interface MirrorReport {
  readonly stored: readonly ProviderPackageRef[];
  readonly skipped: readonly ProviderPackageRef[];
  readonly failed: readonly { readonly item: ProviderPackageRef; readonly message: string }[];
}

/** The parts of the engine a mirror run uses. */
export interface MirrorDependencies extends IngestDependencies {
  readonly registry: ProviderRegistryClient;
  readonly providers: ProviderRepository;
}

/**
 * Mirrors the selected versions and platforms of one provider. Packages already stored are skipped; when every
 * requested version is exact and stored, no request is made at all, so a re-run is a no-op even offline.
 */
export async function mirrorProviders(
  deps: MirrorDependencies,
  request: MirrorProvidersRequest,
  onEvent: (event: MirrorEvent) => void = () => undefined,
  signal?: AbortSignal,
): Promise<MirrorReport> {
  const address = parseProviderAddress(request.address);
  const platforms =
    request.platforms.length > 0
      ? unique(request.platforms.map(parsePlatform))
      : [platformOf(process.platform, process.arch)];
  // Validate every constraint before any network traffic.
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

  const items = versions.flatMap((version) => platforms.map((platform) => ({ address, version, platform })));
  onEvent({ kind: "planned", items });
  const stored: ProviderPackageRef[] = [];
  const skipped: ProviderPackageRef[] = [];
  const failed: { item: ProviderPackageRef; message: string }[] = [];
  const limit = pLimit(request.concurrency ?? 4);
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (isStored(item.version, item.platform)) {
          skipped.push(item);
          onEvent({ kind: "skipped", item });
          return;
        }
        const offered = upstream?.find((entry) => entry.version === item.version)?.platforms ?? [];
        if (
          offered.length > 0 &&
          !offered.some((p) => p.os === item.platform.os && p.arch === item.platform.arch)
        ) {
          const message = `Provider ${describePackage(item)} is not available upstream; that version offers ${offered.map(formatPlatform).join(", ")}.`;
          failed.push({ item, message });
          onEvent({ kind: "failed", item, message });
          return;
        }
        onEvent({ kind: "started", item });
        try {
          const pkg = await ingestProviderPackage(
            deps,
            item,
            (bytesDone, bytesTotal) => {
              onEvent({ kind: "progress", item, bytesDone, bytesTotal });
            },
            signal,
          );
          stored.push(item);
          onEvent({ kind: "stored", item, size: pkg.size });
        } catch (error) {
          const message = errorMessage(error);
          failed.push({ item, message });
          onEvent({ kind: "failed", item, message });
        }
      }),
    ),
  );
  return { stored, skipped, failed };
}

function unique(platforms: readonly Platform[]): Platform[] {
  return [...new Map(platforms.map((platform) => [formatPlatform(platform), platform])).values()];
}
