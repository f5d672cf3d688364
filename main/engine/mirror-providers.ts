import type { RegistryClient } from "../core/clients.js";
import type { ErrorCode } from "../core/errors.js";
import type { ProviderRepository } from "../db/provider-repository.js";
import type { ProviderRegistryClient } from "../upstream/provider-registry-client.js";
import type { IngestDependencies } from "./ingest-provider-package.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

/** What to mirror: one provider, some versions, some platforms. */
export interface MirrorProvidersRequest {
  readonly address: string;
  /** Terraform version constraints; each selects its newest match (or every match with allVersions). */
  readonly versions: readonly string[];
  readonly allVersions?: boolean;
  /** `os_arch` names; empty means this machine's platform. */
  readonly platforms: readonly string[];
  /** The clients a host-less address is read for (each its own default host); default: the `clients` setting. */
  readonly clients?: readonly RegistryClient[];
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
  | {
      readonly kind: "failed";
      readonly item: ProviderPackageRef;
      readonly message: string;
      /** The error's code when it was an expected one, so pull-through answers 404 or 422 as the cause says. */
      readonly code?: ErrorCode;
    };

/** The outcome of a mirror run (built from its job's events): which packages were stored, already there, or refused and why. */
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
