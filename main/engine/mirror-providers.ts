import pLimit from "p-limit";
import { errorMessage } from "../core/errors.js";
import type { ProviderRepository } from "../db/provider-repository.js";
import type { ProviderRegistryClient } from "../upstream/provider-registry-client.js";
import { ingestProviderPackage, type IngestDependencies } from "./ingest-provider-package.js";
import { planProviderPackages } from "./plan-provider-packages.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

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
  | {
      readonly kind: "stored";
      readonly item: ProviderPackageRef;
      readonly size: number;
      /** False when the package is keyless and was stored on its checksums alone. */
      readonly signed: boolean;
    }
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
  const planned = await planProviderPackages(deps, request, signal);
  const items = planned.map((entry) => entry.ref);
  const refusals = new Map(planned.map((entry) => [entry.ref, entry.refusal]));
  const isStored = (item: ProviderPackageRef): boolean =>
    deps.providers.findPackage(
      { ...item.address, version: item.version },
      item.platform.os,
      item.platform.arch,
    ) !== undefined;
  onEvent({ kind: "planned", items });
  const stored: ProviderPackageRef[] = [];
  const skipped: ProviderPackageRef[] = [];
  const failed: { item: ProviderPackageRef; message: string }[] = [];
  const limit = pLimit(request.concurrency ?? 4);
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (isStored(item)) {
          skipped.push(item);
          onEvent({ kind: "skipped", item });
          return;
        }
        const message = refusals.get(item);
        if (message !== undefined) {
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
          onEvent({ kind: "stored", item, size: pkg.size, signed: pkg.signed });
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
