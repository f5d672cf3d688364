import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { defaultHostOf, type RegistryClient } from "../../core/clients.js";
import { formatModuleAddress, type ModuleAddress } from "../../core/module-address.js";
import { moduleSourceHost } from "../../core/module-source.js";
import {
  formatProviderAddress,
  isHostlessProviderAddress,
  parseProviderAddress,
} from "../../core/provider-address.js";
import { newestMatching, parseVersionConstraint } from "../../core/version-constraint.js";
import type { ModuleVersionRecord } from "../../db/module-repository.js";
import type { ModuleDependencies } from "../module-dependencies.js";
import { LOCK_FILE_NAME, type LockedProvider } from "./lock-file.js";
import type { RemoteModuleRead } from "./remote-modules.js";

/** What the walk reads: the project's files, the stored modules and what each calls, remote module snapshots. */
export interface ProjectWalkDependencies {
  /** What the project's own root module (and the local modules it calls) needs. */
  readonly readRoot: (dir: string, defaultHosts: readonly string[]) => Promise<ModuleDependencies>;
  readonly readLockFile: (text: string, path: string) => Promise<LockedProvider[]>;
  readonly storedModuleVersions: (address: ModuleAddress) => readonly ModuleVersionRecord[];
  readonly storedModuleDependencies: (
    record: ModuleVersionRecord,
    subdir: string,
    defaultHosts: readonly string[],
  ) => Promise<ModuleDependencies>;
  /** A git or HTTP module source: read from its snapshot (fetched first when planning a mirror). */
  readonly readRemote: (location: string, defaultHosts: readonly string[]) => Promise<RemoteModuleRead>;
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
  /** The bytes of that stored version's archive. */
  readonly storedSize: number | undefined;
  /** Who calls it: "." for the root module's tree, else the calling module. */
  readonly calledFrom: string;
}

/** A module call by a git or HTTP source (or one Larder cannot read): init fetches it from there itself. */
export interface RemoteModuleNeed {
  readonly source: string;
  readonly calledFrom: string;
  /** The host init fetches it from; undefined when Larder cannot read the source at all. */
  readonly host: string | undefined;
  readonly read: RemoteModuleRead["status"];
  /** Why it could not be read ("unsupported", "failed"). */
  readonly reason: string | undefined;
  /** Its snapshot cannot go stale: an archive URL, or a git ref that is a version tag or a commit. */
  readonly pinned: boolean;
}

/** Everything `init` would need for one project and one client, resolved against what the mirror holds. */
export interface ProjectNeeds {
  readonly client: RegistryClient;
  readonly providers: readonly ProviderNeed[];
  readonly modules: readonly ModuleNeed[];
  readonly remote: readonly RemoteModuleNeed[];
  readonly lockFile: readonly LockedProvider[] | undefined;
}

interface PendingCall {
  readonly address: ModuleAddress;
  readonly subdir: string;
  readonly version: string | undefined;
  readonly calledFrom: string;
}

/**
 * Walks a project the way `init` would for one client: the root module and its local modules (anywhere on
 * disk), every registry module call (transitively, through the stored packages of the versions the mirror would
 * serve), every git or HTTP module (through its snapshot), and every provider requirement with its constraints;
 * the lock file's versions come along. A registry module the mirror lacks ends the walk on that branch: what it
 * calls is unknown until it is mirrored.
 */
export async function walkProject(
  deps: ProjectWalkDependencies,
  dir: string,
  client: RegistryClient,
): Promise<ProjectNeeds> {
  const host = defaultHostOf(client);
  const lockPath = join(dir, LOCK_FILE_NAME);
  const lockText = await readIfExists(lockPath);
  const lockFile = lockText === undefined ? undefined : await deps.readLockFile(lockText, lockPath);
  const constraints = new Map<string, Set<string>>();
  const modules: ModuleNeed[] = [];
  const remote: RemoteModuleNeed[] = [];
  const pendingRegistry: PendingCall[] = [];
  const pendingRemote: { source: string; calledFrom: string }[] = [];

  const collect = (found: ModuleDependencies, calledFrom: string): void => {
    for (const provider of found.providers) {
      const address = providerAddressOf(provider.source ?? `hashicorp/${provider.localName}`, host);
      // terraform.io/builtin/terraform ships inside terraform and tofu: nothing to install.
      if (address.startsWith("terraform.io/builtin/")) continue;
      const set = constraints.get(address) ?? new Set<string>();
      if (provider.version !== undefined) set.add(provider.version);
      constraints.set(address, set);
    }
    // Calls from the root's tree say which directory they are in; calls from a module name that module.
    const from = (inner: string): string => (calledFrom === "." ? inner : calledFrom);
    for (const call of found.external)
      pendingRemote.push({ source: call.source, calledFrom: from(call.calledFrom) });
    for (const call of found.modules) pendingRegistry.push({ ...call, calledFrom });
  };

  collect(await deps.readRoot(dir, [host]), ".");
  const seenRegistry = new Set<string>();
  const seenRemote = new Set<string>();
  while (pendingRegistry.length > 0 || pendingRemote.length > 0) {
    const call = pendingRegistry.shift();
    if (call !== undefined) {
      const key = `${formatModuleAddress(call.address).toLowerCase()}//${call.subdir}@${call.version ?? ""}`;
      if (seenRegistry.has(key)) continue;
      seenRegistry.add(key);
      const records = deps.storedModuleVersions(call.address);
      const version = newestMatching(
        records.map((record) => record.version),
        parseVersionConstraint(call.version ?? ""),
      );
      const record = records.find((candidate) => candidate.version === version);
      modules.push({ ...call, constraint: call.version, stored: version, storedSize: record?.size });
      if (record) {
        const found = await deps.storedModuleDependencies(record, call.subdir, [host]);
        collect(found, `${formatModuleAddress(call.address)} ${record.version}`);
      }
      continue;
    }
    const next = pendingRemote.shift();
    if (next === undefined || seenRemote.has(next.source)) continue;
    seenRemote.add(next.source);
    const read = await deps.readRemote(next.source, [host]);
    remote.push({
      source: next.source,
      calledFrom: next.calledFrom,
      host: read.status === "unsupported" ? undefined : moduleSourceHost(next.source),
      read: read.status,
      reason: read.status === "unsupported" || read.status === "failed" ? read.reason : undefined,
      pinned: read.status === "read" && read.pinned,
    });
    if (read.status === "read") collect(read.dependencies, next.source);
  }

  const providers = [...constraints].map(([address, set]) => ({
    address,
    constraints: [...set],
    locked: lockFile?.find((entry) => entry.address === address),
  }));
  return { client, providers, modules, remote, lockFile };
}

function providerAddressOf(source: string, host: string): string {
  const explicit = isHostlessProviderAddress(source) ? undefined : parseProviderAddress(source);
  return formatProviderAddress(explicit ?? parseProviderAddress(source, host));
}

async function readIfExists(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((error: unknown) => {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  });
}
