import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryClient } from "../../core/clients.js";
import { LarderError } from "../../core/errors.js";
import type { ModuleAddress } from "../../core/module-address.js";
import type { Platform } from "../../core/platform.js";
import { parseProviderAddress } from "../../core/provider-address.js";
import type { ModuleRepository, ModuleVersionRecord } from "../../db/module-repository.js";
import type { ProviderRepository, StoredPackage } from "../../db/provider-repository.js";
import type { BlobStore } from "../../store/blob-store.js";
import type { ConfigReader } from "../config-reader.js";
import { dependenciesOf } from "../stored-module-dependencies.js";
import { findModuleDependencies, type ModuleDependencies } from "../module-dependencies.js";
import { diskModuleTree } from "../module-tree.js";
import { checkNeeds, moduleFixCommand, providerFixCommand, type ClientCheck } from "./check-project.js";
import { formatModuleAddress } from "../../core/module-address.js";
import { LOCK_FILE_NAME, renderLockFile, type LockedProvider } from "./lock-file.js";
import { findRootModules } from "./find-root-modules.js";
import { walkProject, type ProjectNeeds } from "./project-walk.js";
import { exactVersions } from "../select-versions.js";
import type { RemoteModules } from "./remote-modules.js";

/** Stored module versions whose dependencies a process remembers (a few hundred bytes each). */
const MAX_REMEMBERED = 5000;

/** What the project use cases read: the stored providers and modules, the blobs behind them, remote snapshots. */
export interface ProjectDependencies {
  readonly providers: ProviderRepository;
  readonly modules: ModuleRepository;
  readonly store: BlobStore;
  readonly configs: ConfigReader;
  readonly remote: RemoteModules;
}

/** How a walk treats git and HTTP module sources. */
export interface WalkOptions {
  /** Fetch a source that has no snapshot yet (`larder mirror project`); otherwise only snapshots are read. */
  readonly fetchRemote?: boolean;
  readonly signal?: AbortSignal;
}

/** A lock file computed from the mirror, and where it goes. */
export interface ComputedLockFile {
  readonly path: string;
  readonly text: string;
  /** Whether the file on disk already says exactly this. */
  readonly unchanged: boolean;
}

/**
 * Projects (issue 16): a root module on disk, read the way `init` reads it, judged against the mirror (`check`)
 * and given a lock file for every platform from what the mirror holds (`lock`).
 */
export class Projects {
  private readonly dependencies = new Map<string, Promise<ModuleDependencies>>();

  constructor(private readonly deps: ProjectDependencies) {}

  /** Everything `init` would need for the project at `dir`, for one client. */
  async walk(dir: string, client: RegistryClient, options: WalkOptions = {}): Promise<ProjectNeeds> {
    const { configs } = this.deps;
    if (!(await stat(dir).catch(() => undefined))?.isDirectory())
      throw new LarderError("not_found", `The project folder ${dir} does not exist or is not a folder.`);
    return walkProject(
      {
        readRoot: (root, hosts) =>
          findModuleDependencies(diskModuleTree(root, { open: true }), configs, "", hosts),
        readLockFile: (text, path) => configs.readLockFile(text, path),
        storedModuleVersions: (address) => this.storedModuleVersions(address),
        storedModuleDependencies: (record, subdir, hosts) => this.storedDependencies(record, subdir, hosts),
        readRemote: (location, hosts) =>
          this.deps.remote.read(location, hosts, {
            fetch: options.fetchRemote === true,
            ...(options.signal ? { signal: options.signal } : {}),
          }),
      },
      dir,
      client,
    );
  }

  /**
   * The root modules each path stands for: itself when it holds configuration, else the root modules found below
   * it (see `findRootModules`), without duplicates, in the order given.
   */
  async rootModules(paths: readonly string[]): Promise<string[]> {
    const roots: string[] = [];
    for (const path of paths) roots.push(...(await findRootModules(path, this.deps.configs)));
    return [...new Set(roots)];
  }

  /**
   * Whether `larder mirror project` would have nothing to do: everything init needs is stored, every provider is
   * pinned to one version (by the lock file or an exact constraint; a range would have the registry asked for a
   * newer match), and every git/HTTP module is read from a pinned snapshot. A registry module with a stored match
   * is not asked for again by mirroring either. A re-run then needs neither the engine nor the network.
   */
  async nothingToMirror(
    dirs: readonly string[],
    clients: readonly RegistryClient[],
    platforms: readonly Platform[],
  ): Promise<boolean> {
    for (const dir of dirs) {
      for (const client of clients) {
        const needs = await this.walk(dir, client);
        // Reachability is init's business, not mirroring's: every host counts as reachable here.
        const hosts = needs.remote.flatMap((entry) => (entry.host === undefined ? [] : [entry.host]));
        const check = checkNeeds(needs, platforms, (address) => this.storedPackages(address), hosts);
        if (!check.ok) return false;
        const pinned = (constraints: readonly string[]): boolean => exactVersions(constraints) !== undefined;
        if (!needs.providers.every((need) => need.locked !== undefined || pinned(need.constraints)))
          return false;
        if (!needs.remote.every((entry) => entry.pinned)) return false;
      }
    }
    return true;
  }

  /** Would `init` work offline against this mirror, for each client and the platforms given? */
  async check(
    dir: string,
    clients: readonly RegistryClient[],
    platforms: readonly Platform[],
    /** Hosts init can reach where it runs: git and HTTP modules there are not a problem. */
    reachable: readonly string[] = [],
  ): Promise<ClientCheck[]> {
    const checks: ClientCheck[] = [];
    for (const client of clients) {
      const needs = await this.walk(dir, client);
      checks.push(checkNeeds(needs, platforms, (address) => this.storedPackages(address), reachable));
    }
    return checks;
  }

  /**
   * The lock file `providers lock -platform=…` would write for this project: each provider at the version init
   * would pick, an `h1:` per platform from its stored zip, a `zh:` per line of its signed SHA256SUMS, merged with
   * the hashes an existing entry of the same version already trusts (as terraform does). Refused, naming what to
   * mirror, when a provider or platform is not stored.
   */
  async lockFile(
    dir: string,
    client: RegistryClient,
    platforms: readonly Platform[],
  ): Promise<ComputedLockFile> {
    const needs = await this.walk(dir, client);
    const check = checkNeeds(needs, platforms, (address) => this.storedPackages(address));
    const missing = check.providers.filter((status) => status.problem !== undefined);
    // A module the mirror does not hold (or a git/HTTP one never read) hides the providers it requires: a lock
    // written without them would look complete and fail at init.
    const unread = [
      ...check.modules
        .filter((status) => status.problem !== undefined)
        .map((status) => ({
          what: `module ${formatModuleAddress(status.address)}${status.subdir === "" ? "" : `//${status.subdir}`}`,
          problem: status.problem ?? "",
          fix: moduleFixCommand(status, client, platforms),
        })),
      ...check.remote
        .filter((status) => status.read !== "read")
        .map((status) => ({
          what: `module ${status.source}`,
          problem: status.problem ?? "",
          fix: undefined,
        })),
    ];
    if (missing.length > 0 || unread.length > 0) {
      const lines = [
        ...missing.map((status) => {
          const fix = providerFixCommand(status, platforms);
          return `  ${status.address}: ${status.problem ?? ""}${fix === undefined ? "" : `\n    ${fix}`}`;
        }),
        ...unread.map(
          (entry) =>
            `  ${entry.what}: ${entry.problem}${entry.fix === undefined ? "" : `\n    ${entry.fix}`}`,
        ),
      ];
      throw new LarderError(
        "not_found",
        `Cannot lock ${dir} for ${client}: the mirror lacks what the lock file must record.\n${lines.join("\n")}`,
      );
    }
    const entries: LockedProvider[] = [];
    for (const status of check.providers) {
      const [first] = status.packages;
      if (status.version === undefined || first === undefined) continue;
      const previous = needs.lockFile?.find(
        (entry) => entry.address === status.address && entry.version === status.version,
      );
      const hashes = new Set(previous?.hashes ?? []);
      for (const pkg of status.packages) hashes.add(pkg.h1);
      for (const sum of await this.shasums(first)) hashes.add(`zh:${sum}`);
      entries.push({
        address: status.address,
        version: status.version,
        constraints: status.constraints,
        hashes: [...hashes],
      });
    }
    // As `providers lock` does, entries of providers the configuration no longer names are kept as they are (init
    // is what drops them).
    for (const old of needs.lockFile ?? [])
      if (!entries.some((entry) => entry.address === old.address)) entries.push(old);
    const path = join(dir, LOCK_FILE_NAME);
    const text = renderLockFile(entries, client);
    const current = await readFile(path, "utf8").catch(() => undefined);
    return { path, text, unchanged: current === text };
  }

  /**
   * What a stored module version calls and requires, remembered for the life of the process: archives are
   * immutable, so a page that checks twenty projects every time the mirror changes unpacks each one once.
   */
  private storedDependencies(
    record: ModuleVersionRecord,
    subdir: string,
    hosts: readonly string[],
  ): Promise<ModuleDependencies> {
    const key = `${record.archiveBlob}\0${record.subdir}\0${subdir}\0${hosts.join(",")}`;
    const known = this.dependencies.get(key);
    if (known) return known;
    const found = this.deps.configs.storedDependencies(key, () =>
      dependenciesOf(this.deps, record, subdir, hosts),
    );
    this.dependencies.set(key, found);
    // A failure (a damaged data dir) is not remembered: the next walk tries again.
    found.catch(() => this.dependencies.delete(key));
    if (this.dependencies.size > MAX_REMEMBERED) {
      const [oldest] = this.dependencies.keys();
      if (oldest !== undefined) this.dependencies.delete(oldest);
    }
    return found;
  }

  private storedPackages(address: string): StoredPackage[] {
    const parsed = parseProviderAddress(address);
    return this.deps.providers.listPackages(parsed.host, parsed.namespace, parsed.type);
  }

  private storedModuleVersions(address: ModuleAddress): ModuleVersionRecord[] {
    return this.deps.modules.listVersions(address.host, address.namespace, address.name, address.system);
  }

  /** The checksums of a release's signed SHA256SUMS, verified when it was stored. */
  private async shasums(pkg: StoredPackage): Promise<string[]> {
    const text = await readFile(this.deps.store.pathOf(pkg.release.shasumsBlob), "utf8").catch(
      (error: unknown) => {
        throw new LarderError(
          "storage_failed",
          `The SHA256SUMS of ${pkg.release.namespace}/${pkg.release.type} ${pkg.release.version} is missing: the data dir was changed outside Larder (${String(error)}). Delete that version ("larder delete") and mirror it again.`,
        );
      },
    );
    return text
      .split("\n")
      .map((line) => /^([0-9a-f]{64})\s/.exec(line.trim())?.[1])
      .filter((sum): sum is string => sum !== undefined);
  }
}
