import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { defaultHostOf, type RegistryClient } from "../../core/clients.js";
import { formatModuleAddress, type ModuleAddress } from "../../core/module-address.js";
import {
  formatProviderAddress,
  isHostlessProviderAddress,
  parseProviderAddress,
} from "../../core/provider-address.js";
import { newestMatching, parseVersionConstraint } from "../../core/version-constraint.js";
import type { ModuleVersionRecord } from "../../db/module-repository.js";
import { findModuleDependencies, type ModuleDependencies } from "../module-dependencies.js";
import { LOCK_FILE_NAME, parseLockFile, type LockedProvider } from "./lock-file.js";

/** What the walk reads from the mirror: stored module versions and what each of them calls and requires. */
export interface ProjectWalkDependencies {
  readonly storedModuleVersions: (address: ModuleAddress) => readonly ModuleVersionRecord[];
  readonly storedModuleDependencies: (
    record: ModuleVersionRecord,
    subdir: string,
    defaultHosts: readonly string[],
  ) => Promise<ModuleDependencies>;
}

/** One provider a project needs, as one client reads it. */
export interface ProviderNeed {
  /** Fully qualified, on the client's default host when the configuration names none. */
  readonly address: string;
  /** Every constraint on it from the root module and every module it calls, as written (ANDed). */
  readonly constraints: readonly string[];
  /** Its block in the project's lock file, which wins over constraints as it does for `init`. */
  readonly locked: LockedProvider | undefined;
}

/** One registry module call of the project or of a module it calls. */
export interface ModuleNeed {
  readonly address: ModuleAddress;
  readonly subdir: string;
  readonly constraint: string | undefined;
  /** The newest stored version the constraint allows; undefined when the mirror has none. */
  readonly stored: string | undefined;
  /** Who calls it: "." for the root module's tree, else the calling registry module. */
  readonly calledFrom: string;
}

/** A module source that is neither local nor a registry address: init fetches it itself. */
export interface ExternalModule {
  readonly source: string;
  readonly calledFrom: string;
}

/** Everything `init` would need for one project and one client, resolved against what the mirror holds. */
export interface ProjectNeeds {
  readonly client: RegistryClient;
  readonly providers: readonly ProviderNeed[];
  readonly modules: readonly ModuleNeed[];
  readonly external: readonly ExternalModule[];
  readonly lockFile: readonly LockedProvider[] | undefined;
}

/**
 * Walks a project the way `init` would for one client: the root module and its local modules (anywhere on
 * disk), every registry module call (transitively, through the stored packages of the versions the mirror would
 * serve), and every provider requirement with its constraints; the lock file's versions come along. Registry
 * modules the mirror lacks end the walk on that branch: what they call is unknown until they are mirrored.
 */
export async function walkProject(
  deps: ProjectWalkDependencies,
  dir: string,
  client: RegistryClient,
): Promise<ProjectNeeds> {
  const host = defaultHostOf(client);
  const lockFile = await readLockFile(dir);
  const constraints = new Map<string, Set<string>>();
  const modules: ModuleNeed[] = [];
  const external: ExternalModule[] = [];
  const seen = new Set<string>();

  const collect = (found: ModuleDependencies, calledFrom: string): void => {
    for (const provider of found.providers) {
      const address = providerAddressOf(provider.source ?? `hashicorp/${provider.localName}`, host);
      const set = constraints.get(address) ?? new Set<string>();
      if (provider.version !== undefined) set.add(provider.version);
      constraints.set(address, set);
    }
    for (const call of found.external)
      external.push({
        source: call.source,
        calledFrom: calledFrom === "." ? call.calledFrom : calledFrom,
      });
    for (const call of found.modules) pending.push({ ...call, calledFrom });
  };

  const pending: {
    address: ModuleAddress;
    subdir: string;
    version: string | undefined;
    calledFrom: string;
  }[] = [];
  collect(await findModuleDependencies(dir, "", [host], { localCallsLeaveTree: true }), ".");
  for (let call = pending.shift(); call !== undefined; call = pending.shift()) {
    const key = `${formatModuleAddress(call.address).toLowerCase()}//${call.subdir}@${call.version ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const records = deps.storedModuleVersions(call.address);
    const version = newestMatching(
      records.map((record) => record.version),
      parseVersionConstraint(call.version ?? ""),
    );
    modules.push({
      address: call.address,
      subdir: call.subdir,
      constraint: call.version,
      stored: version,
      calledFrom: call.calledFrom,
    });
    const record = records.find((candidate) => candidate.version === version);
    if (!record) continue;
    const found = await deps.storedModuleDependencies(record, call.subdir, [host]);
    collect(found, `${formatModuleAddress(call.address)} ${record.version}`);
  }

  const providers = [...constraints].map(([address, set]) => ({
    address,
    constraints: [...set],
    locked: lockFile?.find((entry) => entry.address === address),
  }));
  return { client, providers, modules, external, lockFile };
}

function providerAddressOf(source: string, host: string): string {
  const explicit = isHostlessProviderAddress(source) ? undefined : parseProviderAddress(source);
  return formatProviderAddress(explicit ?? parseProviderAddress(source, host));
}

async function readLockFile(dir: string): Promise<LockedProvider[] | undefined> {
  const path = join(dir, LOCK_FILE_NAME);
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  });
  return text === undefined ? undefined : parseLockFile(text, path);
}
