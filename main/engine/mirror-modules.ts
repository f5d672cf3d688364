import { codeOf, errorMessage, type ErrorCode } from "../core/errors.js";
import { withKeyLock } from "../core/key-lock.js";
import { formatModuleAddress, parseModuleAddress, type ModuleAddress } from "../core/module-address.js";
import { defaultHostsOf, REGISTRY_CLIENTS, type RegistryClient } from "../core/clients.js";
import {
  formatProviderAddress,
  isHostlessProviderAddress,
  parseProviderAddress,
} from "../core/provider-address.js";
import { parseVersionConstraint } from "../core/version-constraint.js";
import {
  describeModule,
  ingestModuleVersion,
  type ModuleIngestDependencies,
  type ModuleVersionRef,
} from "./ingest-module-version.js";
import type { ConfigReader } from "./config-reader.js";
import { dependenciesOf } from "./stored-module-dependencies.js";
import type { ProviderSelection } from "./plan-provider-packages.js";
import { exactVersions, selectVersions } from "./select-versions.js";

/** What to mirror: one module, some versions, and (by default) everything they call and require. */
export interface MirrorModulesRequest {
  readonly address: string;
  readonly versions: readonly string[];
  readonly allVersions?: boolean;
  readonly withDependencies: boolean;
  /** Platforms for the providers the modules require; empty means this machine's. */
  readonly platforms: readonly string[];
  /** The clients host-less addresses are read for (each its own default host); default: the `clients` setting. */
  readonly clients?: readonly RegistryClient[];
}

/** Events of a module mirror run; the providers it requires run as job items of their own. */
export type ModuleMirrorEvent =
  | { readonly kind: "module-skipped"; readonly module: ModuleVersionRef }
  | { readonly kind: "module-started"; readonly module: ModuleVersionRef }
  | { readonly kind: "module-stored"; readonly module: ModuleVersionRef; readonly size: number }
  | {
      readonly kind: "module-failed";
      readonly module: ModuleVersionRef;
      readonly message: string;
      readonly code?: ErrorCode;
    };

/** The outcome of walking a module tree: the modules, and the providers they require (to plan as job items). */
export interface MirrorModulesReport {
  readonly stored: readonly ModuleVersionRef[];
  readonly skipped: readonly ModuleVersionRef[];
  readonly failed: readonly { readonly module: ModuleVersionRef; readonly message: string }[];
  /** One selection per required provider and host, its constraints from every module that requires it ANDed. */
  readonly providers: readonly ProviderSelection[];
}

/** The parts of the engine a module mirror run uses. */
export interface ModuleMirrorDependencies extends ModuleIngestDependencies {
  /** Reads the stored modules' configuration (what each file says is cached by its hash). */
  readonly configs: ConfigReader;
}

interface Wanted {
  readonly address: ModuleAddress;
  readonly constraints: readonly string[];
  /** The `//subdir` of the package whose dependencies count: the request's, or the calling module's. */
  readonly subdir: string;
}

/**
 * Mirrors module versions and, with dependencies, every registry module they call (transitively, through
 * local submodules too) at the newest version matching the call's constraint, and collects the providers they
 * require. A host-less address inside a module means what it means to the client reading it — registry.terraform.io
 * to terraform, registry.opentofu.org to tofu, whatever host the calling module came from (protocol doc §6.3) —
 * so it is followed on the default host of every client in the request.
 */
export async function mirrorModules(
  deps: ModuleMirrorDependencies,
  request: MirrorModulesRequest,
  onEvent: (event: ModuleMirrorEvent) => void = () => undefined,
  signal?: AbortSignal,
): Promise<MirrorModulesReport> {
  const { address, subdir } = parseModuleAddress(request.address);
  request.versions.forEach(parseVersionConstraint);
  const defaultHosts = defaultHostsOf(request.clients ?? REGISTRY_CLIENTS);
  const stored: ModuleVersionRef[] = [];
  const skipped: ModuleVersionRef[] = [];
  const failed: { module: ModuleVersionRef; message: string }[] = [];
  const providerConstraints = new Map<string, Set<string>>();
  const seen = new Set<string>();
  const scanned = new Set<string>();
  const queue: Wanted[] = [{ address, constraints: request.versions, subdir }];
  let first = true;
  for (let wanted = queue.shift(); wanted !== undefined; wanted = queue.shift()) {
    let versions: string[];
    try {
      versions = await resolveVersions(deps, wanted, first && (request.allVersions ?? false), signal);
    } catch (error) {
      if (first) throw error;
      failed.push({
        module: { address: wanted.address, version: wanted.constraints.join(", ") || "newest" },
        message: errorMessage(error),
      });
      continue;
    }
    first = false;
    for (const version of versions) {
      const ref = { address: wanted.address, version };
      const key = `${formatModuleAddress(ref.address).toLowerCase()}@${version}`;
      // One package, but each subdirectory callers use has its own dependencies.
      const scanKey = `${key}//${wanted.subdir}`;
      if (scanned.has(scanKey)) continue;
      scanned.add(scanKey);
      // Under a lock per module version: another job item of this process (the caller on the other client's host,
      // whose host-less call names the same module) may be fetching it right now; it is then found stored, not
      // fetched and counted twice.
      const outcome = await withKeyLock(deps.store, `module ${key}`, async () => {
        let record = deps.modules.find({ ...ref.address, version });
        if (seen.has(key)) {
          // Stored (or skipped) earlier in this run; a failure was reported then.
          return record;
        } else if (record) {
          seen.add(key);
          skipped.push(ref);
          onEvent({ kind: "module-skipped", module: ref });
          return record;
        }
        seen.add(key);
        onEvent({ kind: "module-started", module: ref });
        try {
          record = await ingestModuleVersion(deps, ref, signal);
          stored.push(ref);
          onEvent({ kind: "module-stored", module: ref, size: record.size });
          return record;
        } catch (error) {
          const message = errorMessage(error);
          failed.push({ module: ref, message });
          onEvent({ kind: "module-failed", module: ref, message, ...codeOf(error) });
          return undefined;
        }
      });
      if (!outcome) continue;
      const record = outcome;
      if (!request.withDependencies) continue;
      try {
        const found = await dependenciesOf(deps, record, wanted.subdir, defaultHosts);
        for (const call of found.modules)
          queue.push({
            address: call.address,
            constraints: call.version ? [call.version] : [],
            subdir: call.subdir,
          });
        for (const provider of found.providers) {
          // A requirement without a source is terraform's implied `hashicorp/<local name>`.
          const source = provider.source ?? `hashicorp/${provider.localName}`;
          const explicit = isHostlessProviderAddress(source) ? undefined : parseProviderAddress(source);
          const hosts = explicit ? [explicit.host] : defaultHosts;
          for (const host of hosts) {
            const name = formatProviderAddress(parseProviderAddress(source, host));
            const set = providerConstraints.get(name) ?? new Set<string>();
            if (provider.version) set.add(provider.version);
            providerConstraints.set(name, set);
          }
        }
      } catch (error) {
        failed.push({
          module: ref,
          message: `Reading the dependencies of ${describeModule(ref)} failed: ${errorMessage(error)}`,
        });
      }
    }
  }
  // Every module's constraints on one provider are ANDed, as terraform does for one configuration.
  const providers = [...providerConstraints].map(([name, constraints]) => ({
    address: name,
    versions: constraints.size > 0 ? [[...constraints].join(", ")] : [],
    platforms: request.platforms,
  }));
  return { stored, skipped, failed, providers };
}

/** The versions of the requested module a job will mirror, constraints validated first, with its host. */
export async function planModuleVersions(
  deps: Pick<ModuleMirrorDependencies, "modules" | "moduleRegistry">,
  request: MirrorModulesRequest,
  signal?: AbortSignal,
): Promise<{ readonly host: string; readonly versions: string[] }> {
  const { address, subdir } = parseModuleAddress(request.address);
  request.versions.forEach(parseVersionConstraint);
  const wanted = { address, constraints: request.versions, subdir };
  return {
    host: address.host,
    versions: await resolveVersions(deps, wanted, request.allVersions ?? false, signal),
  };
}

async function resolveVersions(
  deps: Pick<ModuleMirrorDependencies, "modules" | "moduleRegistry">,
  wanted: Wanted,
  all: boolean,
  signal?: AbortSignal,
): Promise<string[]> {
  const exact = all ? undefined : exactVersions(wanted.constraints);
  if (exact?.every((version) => deps.modules.find({ ...wanted.address, version }))) return exact;
  const available = await deps.moduleRegistry.listVersions(wanted.address, signal);
  // Several constraints of one call are ANDed, as in terraform; the request's own list selects each.
  return selectVersions(`module ${formatModuleAddress(wanted.address)}`, available, wanted.constraints, all);
}
