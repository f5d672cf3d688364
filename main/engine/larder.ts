import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import {
  exportBundle,
  exportBundleToStream,
  planExport,
  type ExportDependencies,
  type ExportPlanSummary,
  type ExportHooks,
  type ExportRequest,
  type ExportResult,
} from "../bundle/export-bundle.js";
import { importBundle, type BundleTrust, type ImportOutcome } from "../bundle/import-bundle.js";
import type { BundleReport } from "../bundle/bundle-report.js";
import { verifyBundle } from "../bundle/verify-bundle.js";
import { AuditRepository } from "../db/audit-repository.js";
import { BundleRepository, type BundleRecord } from "../db/bundle-repository.js";
import { openDatabase, type Db } from "../db/connection.js";
import { JobControlRepository } from "../db/job-control-repository.js";
import { JobRepository } from "../db/job-repository.js";
import { MirrorGeneration } from "../db/mirror-generation.js";
import { ChangeProbe } from "../db/change-probe.js";
import { ChangeWatcher } from "./change-watcher.js";
import { ModuleRepository, type ModuleVersionRecord } from "../db/module-repository.js";
import { ProviderRepository, type ProviderVersionSummary } from "../db/provider-repository.js";
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from "../store/archive/index.js";
import { BlobStore } from "../store/blob-store.js";
import { UpstreamHttpClient, type HttpClientOptions } from "../upstream/http-client.js";
import { ModuleRegistryClient } from "../upstream/module-registry-client.js";
import { ModuleSourceFetcher } from "../upstream/module-source-fetcher.js";
import { ProviderRegistryClient } from "../upstream/provider-registry-client.js";
import { ServiceDiscovery } from "../upstream/service-discovery.js";
import { checkUpstream, type UpstreamCheck } from "./upstream-check.js";
import { APP_VERSION, USER_AGENT } from "./app-version.js";
import { LarderError, type ErrorCode } from "../core/errors.js";
import { formatModuleAddress } from "../core/module-address.js";
import { normalizeHostname } from "../core/hostname.js";
import { SettingsRepository } from "../db/settings-repository.js";
import { AuditLog, type AuditActor } from "./audit-log.js";
import { BlobRepository } from "../db/blob-repository.js";
import { IngestSessionRepository } from "../db/ingest-session-repository.js";
import {
  deleteModule,
  deleteProvider,
  type ModuleDeleteTarget,
  type ProviderDeleteTarget,
} from "./delete-stored.js";
import { buildDiskUsage, type DiskUsage } from "./disk-usage.js";
import {
  collectGarbage,
  reclaimableBytes,
  type GarbageDependencies,
  type GarbageReport,
} from "./garbage-collection.js";
import { buildInventory, type Inventory } from "./inventory.js";
import { JobReportCollector, throwIfStopped, type ModuleJobReport } from "./job-reports.js";
import type { MirrorModulesRequest, ModuleMirrorDependencies, ModuleMirrorEvent } from "./mirror-modules.js";
import type {
  MirrorDependencies,
  MirrorEvent,
  MirrorProvidersRequest,
  MirrorReport,
} from "./mirror-providers.js";
import { MirrorSettings, type SettingKey } from "./mirror-settings.js";
import { UpstreamSettings, type UpstreamChange, type UpstreamEntry } from "./upstream-settings.js";
import { CredentialsFile } from "../store/credentials-file.js";
import { describePackage } from "./provider-package-ref.js";
import { EventBus } from "../jobs/event-bus.js";
import type { RunnerTiming } from "../jobs/job-runner.js";
import type { JobRunResult } from "../jobs/job-runner-types.js";
import { WorkerPool, type WorkerLimits } from "../jobs/worker-pool.js";
import { Projects } from "./project/projects.js";
import { storedHostsOf } from "./stored-mirror.js";
import { SavedProjects } from "./project/saved-projects.js";
import { sizePlanItems } from "./project/plan-sizes.js";
import { ProjectRepository } from "../db/project-repository.js";
import { defaultDataDir } from "../core/data-dir.js";
import { shellWord } from "../core/shell-word.js";
import { ConfigCacheRepository } from "../db/config-cache-repository.js";
import { ConfigReader } from "./config-reader.js";
import { RemoteModuleRepository } from "../db/remote-module-repository.js";
import { RemoteModules } from "./project/remote-modules.js";
import { JobService } from "./job-service.js";
import type { LarderEvent, LarderEventBus } from "./larder-events.js";
import { ModuleCatalog } from "./module-catalog.js";
import { PullThrough, type PullThroughClient } from "./pull-through.js";
import { ProviderCatalog } from "./provider-catalog.js";
import { Catalogs } from "./catalog/catalogs.js";
import type { PackageSizeLimits } from "./catalog/package-size-estimator.js";
import { ModuleDocsClient } from "../upstream/module-docs-client.js";

/** How to open a Larder: where its data lives and how upstream hosts are reached. */
export interface LarderOptions {
  readonly dataDir: string;
  /** `--upstream HOST=URL` overrides: registry host → base URL. */
  readonly upstreams?: ReadonlyMap<string, string>;
  readonly http?: Partial<Omit<HttpClientOptions, "userAgent">>;
  readonly maxArchiveBytes?: number;
  /** Bounds for unpacking module sources (entries, total bytes). */
  readonly moduleLimits?: ArchiveLimits;
  /**
   * `--concurrency`/`--per-host`: job item transfers at once, in all and per upstream host. Each given one wins
   * over its setting (concurrency, perHostConcurrency) for this process.
   */
  readonly workers?: Partial<WorkerLimits>;
  /** How often jobs poll for control requests and heartbeat their lease (tests shorten the staleness). */
  readonly jobTiming?: RunnerTiming;
  /** Refuse keyless providers even from registry.opentofu.org (`--require-signatures`), whatever the setting. */
  readonly requireSignatures?: boolean;
  /** Where registry warnings and skipped unreadable answer entries are reported. */
  readonly onUpstreamWarning?: (message: string) => void;
  /** Where an audit row that could not be written is reported (default: stderr); the action itself goes on. */
  readonly onAuditFailure?: (message: string) => void;
  /** Bounds of one size estimate answer (tests shorten the time limit). */
  readonly sizeLimits?: Partial<PackageSizeLimits>;
}

/**
 * The engine: one data directory (SQLite + blob store) and the upstream clients, composed once and shared by
 * the CLI, the server and the desktop app. The only object that knows the whole flow.
 */
export class Larder {
  readonly catalog: ProviderCatalog;
  /** What happens in this engine, for progress displays and the admin API's event stream. */
  readonly events: LarderEventBus = new EventBus<LarderEvent>();
  private runs = 0;
  readonly moduleCatalog: ModuleCatalog;
  /** Persistent mirror jobs: create, run, control, list. */
  readonly jobs: JobService;
  /** Projects on disk judged against the mirror: check, lock (issue 16). */
  readonly projects: Projects;
  /** Projects remembered by the UI, each checked against the mirror when looked at (issue 16). */
  readonly savedProjects: SavedProjects;
  /** Who changed what and how it ended: the CLI, the admin API and pull-through record here. */
  readonly audit: AuditLog;
  /** Finding what to mirror: catalog refresh, search, detail, size estimates. */
  readonly catalogs: Catalogs;
  private readonly providers: ProviderRepository;
  /** The catalog cache searched by searchCatalog (issue 12). */
  private readonly jobRows: JobRepository;
  private readonly modules: ModuleRepository;
  private readonly bundles: BundleRepository;
  private readonly blobs: BlobRepository;
  private readonly sessions: IngestSessionRepository;
  private readonly configs: ConfigReader;
  private readonly registry: ProviderRegistryClient;
  private readonly moduleRegistry: ModuleRegistryClient;
  private readonly fetcher: ModuleSourceFetcher;
  private readonly http: UpstreamHttpClient;
  private readonly mirrorSettings: MirrorSettings;
  private readonly upstreamSettings: UpstreamSettings;
  private readonly discovery: ServiceDiscovery;
  private readonly pool: WorkerPool;
  private readonly generation: MirrorGeneration;
  /** Cached package size estimates (migration 010) and the bounded look-ups that fill them. */

  private constructor(
    readonly dataDir: string,
    private readonly db: Db,
    readonly store: BlobStore,
    readonly upstreams: ReadonlyMap<string, string>,
    private readonly options: LarderOptions,
  ) {
    this.providers = new ProviderRepository(db);
    this.generation = new MirrorGeneration(db);
    this.catalog = new ProviderCatalog(this.providers);
    this.modules = new ModuleRepository(db);
    this.bundles = new BundleRepository(db);
    this.blobs = new BlobRepository(db);
    this.sessions = new IngestSessionRepository(db);
    const settingsRepository = new SettingsRepository(db);
    this.mirrorSettings = new MirrorSettings(settingsRepository, (keys) => {
      this.settingsChanged(keys);
    });
    this.moduleCatalog = new ModuleCatalog(this.modules);
    this.audit = new AuditLog(
      new AuditRepository(db),
      options.onAuditFailure ??
        ((message) => {
          process.stderr.write(`warning: ${message}\n`);
        }),
    );
    this.http = new UpstreamHttpClient({ userAgent: USER_AGENT, ...options.http });
    const warn = options.onUpstreamWarning ?? (() => undefined);
    this.upstreamSettings = new UpstreamSettings(
      settingsRepository,
      new CredentialsFile(dataDir, warn),
      upstreams,
    );
    // A getter, not a snapshot: every lookup sees the registries as configured at that moment.
    this.discovery = new ServiceDiscovery(this.http, (host) => this.upstreamSettings.target(host));
    this.registry = new ProviderRegistryClient(this.http, this.discovery, warn);
    this.moduleRegistry = new ModuleRegistryClient(this.http, this.discovery, warn);
    const moduleDocs = new ModuleDocsClient(
      this.http,
      this.discovery,
      (host) => this.upstreamSettings.target(host),
      warn,
    );
    // GitHub archives come from github.com unless `--upstream github.com=URL` points elsewhere (tests, proxies).
    const github = upstreams.get("github.com") ?? "https://github.com";
    this.fetcher = new ModuleSourceFetcher(
      this.http,
      store,
      github,
      options.moduleLimits ?? DEFAULT_ARCHIVE_LIMITS,
    );
    this.pool = new WorkerPool(this.workerLimits());
    this.catalogs = new Catalogs({
      db,
      http: this.http,
      registry: this.registry,
      moduleRegistry: this.moduleRegistry,
      moduleDocs,
      modules: this.modules,
      upstreams: (host) => this.upstreamSettings.target(host),
      warn,
      refreshHours: () => this.mirrorSettings.get("catalogRefreshHours"),
      clients: () => this.mirrorSettings.get("clients"),
      publish: (event) => {
        this.events.publish(event);
      },
      inventory: () => this.inventory(),
      archivePath: (sha256) => this.store.pathOf(sha256),
      ...(options.sizeLimits ? { sizeLimits: options.sizeLimits } : {}),
    });
    this.jobRows = new JobRepository(db);
    this.configs = new ConfigReader(new ConfigCacheRepository(db));
    const remote = new RemoteModules({
      remoteModules: new RemoteModuleRepository(db),
      store,
      sessions: this.sessions,
      configs: this.configs,
      fetcher: this.fetcher,
    });
    this.projects = new Projects({
      providers: this.providers,
      modules: this.modules,
      store,
      configs: this.configs,
      remote,
    });
    this.jobs = new JobService({
      jobs: this.jobRows,
      control: new JobControlRepository(db),
      pool: this.pool,
      bus: this.events,
      nextRun: () => ++this.runs,
      providerDeps: () => this.providerIngestDeps(),
      moduleDeps: () => this.moduleDeps(),
      defaultClients: () => this.mirrorSettings.get("clients"),
      walkProject: (dir, client, signal) =>
        this.projects.walk(dir, client, { fetchRemote: true, ...(signal ? { signal } : {}) }),
      ...(options.jobTiming ? { timing: options.jobTiming } : {}),
    });
    const isDefaultDir =
      dataDir === defaultDataDir({ env: process.env, platform: process.platform, homeDir: homedir() });
    this.savedProjects = new SavedProjects({
      repository: new ProjectRepository(db),
      projects: this.projects,
      dataDir,
      dataDirFlag: isDefaultDir ? "" : ` --data-dir ${shellWord(dataDir)}`,
      defaultClients: () => this.mirrorSettings.get("clients"),
      mirrorGeneration: () => this.mirrorGeneration(),
      planJob: (request, signal) => this.jobs.planProject(request, signal),
      sizeItems: (items) =>
        sizePlanItems(items, {
          providerSizes: (host, namespace, type, request) =>
            this.catalogs.providerSizes(host, namespace, type, request),
          findModule: (key) => this.modules.find(key),
        }),
      createJob: async (request, signal) => (await this.jobs.createProjectJob(request, signal)).job,
      changed: () => {
        this.events.publish({ kind: "projects-changed" });
      },
    });
  }

  /** Opens the data directory, creating it, migrating the database and sweeping interrupted writes. */
  static async open(options: LarderOptions): Promise<Larder> {
    await mkdir(options.dataDir, { recursive: true });
    const store = new BlobStore(options.dataDir);
    await store.open();
    const db = openDatabase(join(options.dataDir, "larder.db"));
    const larder = new Larder(options.dataDir, db, store, options.upstreams ?? new Map(), options);
    // Items a killed process left running go back to the queue before anyone looks at or runs them.
    larder.jobs.recoverInterrupted();
    return larder;
  }

  /**
   * Mirrors provider packages as one job, run here to its end: the same planning, items, executor and events as
   * `larder mirror provider`, for callers that want the outcome in one call (benchmarks, tests, scripts).
   */
  async mirrorProviders(
    request: MirrorProvidersRequest,
    onEvent?: (event: MirrorEvent) => void,
    signal?: AbortSignal,
  ): Promise<MirrorReport> {
    const job = await this.jobs.createProviderJob(request, signal);
    const collector = new JobReportCollector(onEvent);
    return collector.providerReport(await this.runJobHere(job.id, collector, signal));
  }

  /** Mirrors modules (and, unless told otherwise, what they call and require) as one job run here to its end. */
  async mirrorModules(
    request: MirrorModulesRequest,
    onEvent?: (event: ModuleMirrorEvent) => void,
    signal?: AbortSignal,
  ): Promise<ModuleJobReport> {
    const job = await this.jobs.createModuleJob(request, signal);
    const collector = new JobReportCollector(undefined, onEvent);
    return collector.moduleReport(await this.runJobHere(job.id, collector, signal));
  }

  /** Runs a job here until nothing is left of it; a stop (the signal) is thrown with how to continue. */
  private async runJobHere(
    jobId: number,
    collector: JobReportCollector,
    signal: AbortSignal | undefined,
  ): Promise<JobRunResult> {
    const result = await this.jobs.run(jobId, {
      observer: collector.observer,
      ...(signal ? { signal } : {}),
    });
    throwIfStopped(result);
    return result;
  }

  /**
   * The pull-through service for `larder serve --pull-through`. A miss becomes a job of exactly what the client
   * asked for, run in this process through the same executor as `larder mirror`, so it is checked, recorded and
   * visible in `larder jobs` like any other ingest.
   */
  createPullThrough(ttlMs: number): PullThrough {
    // The client's answer follows the cause (404 for what upstream lacks, 422 for a refused package), so the
    // failed item's error code is kept from its event; the item itself records the message.
    const runToEnd = async (jobId: number): Promise<void> => {
      let code: ErrorCode = "upstream_error";
      const result = await this.jobs.run(jobId, {
        observer: {
          onMirrorEvent: (event) => {
            if (event.kind === "failed" && event.code) code = event.code;
          },
          onModuleEvent: (event) => {
            if (event.kind === "module-failed" && event.code) code = event.code;
          },
        },
      });
      const failed = result.items.find((item) => item.state.status === "failed");
      if (failed?.state.status === "failed") throw new LarderError(code, failed.state.reason);
    };
    return new PullThrough(
      {
        listProviderVersions: (address) => this.registry.listVersions(address),
        listModuleVersions: (address) => this.moduleRegistry.listVersions(address),
        fetchProviderPackage: async (address, version, platform, client) => {
          if (this.providers.findPackage({ ...address, version }, platform.os, platform.arch)) return;
          const ref = { address, version, platform };
          const target = describePackage(ref);
          await this.audit.audited(pullThroughActor(client), "pull-through.provider", target, () =>
            runToEnd(this.jobs.createPackageJob(`pull-through ${target}`, [ref]).id),
          );
        },
        fetchModuleVersion: async (address, version, client) => {
          if (this.modules.find({ ...address, version })) return;
          const name = formatModuleAddress(address);
          await this.audit.audited(
            pullThroughActor(client),
            "pull-through.module",
            `${name} ${version}`,
            () =>
              runToEnd(
                this.jobs.createModuleVersionJob(`pull-through module ${name} ${version}`, name, version).id,
              ),
          );
        },
      },
      ttlMs,
    );
  }

  /** The persistent settings (`larder config`, the admin API's settings); a change applies to the next job. */
  get settings(): MirrorSettings {
    return this.mirrorSettings;
  }

  /** The configured upstream registries; a token shows only as `hasToken`. */
  listUpstreams(): UpstreamEntry[] {
    return this.upstreamSettings.list();
  }

  /**
   * Adds or changes an upstream registry (`url`/`token`: undefined keeps, null removes). The token goes to
   * credentials.json (mode 0600), never to the database. Applies to the next request for that host. Returns the entry as listed (a flag may still override its URL).
   */
  async setUpstream(change: UpstreamChange): Promise<UpstreamEntry> {
    const host = await this.upstreamSettings.set(change);
    this.upstreamChanged(host);
    const entry = this.upstreamSettings.list().find((candidate) => candidate.host === host);
    if (!entry) throw new LarderError("storage_failed", `Upstream ${host} was not recorded.`);
    return entry;
  }

  /** Asks HOST, as configured now, for discovery and each service's `versions`: are address and token right? */
  checkUpstream(hostInput: string): Promise<UpstreamCheck> {
    const host = normalizeHostname(hostInput);
    const hasToken = this.upstreamSettings.list().some((entry) => entry.host === host && entry.hasToken);
    return checkUpstream({ discovery: this.discovery, http: this.http }, host, hasToken);
  }

  /** Forgets an upstream registry and its token; a not_found error if it is not configured. */
  async removeUpstream(host: string): Promise<void> {
    this.upstreamChanged(await this.upstreamSettings.remove(host));
  }

  /** Pull-through as the settings say (`larder serve` uses it when neither --pull-through nor --offline is given). */
  pullThroughSetting(): { enabled: boolean; ttlSeconds: number } {
    return {
      enabled: this.mirrorSettings.get("pullThrough"),
      ttlSeconds: this.mirrorSettings.get("pullThroughTtlSeconds"),
    };
  }

  /** The worker limits in force: each flag of this process, else its setting. */
  workerLimits(): WorkerLimits {
    return {
      global: this.options.workers?.global ?? this.mirrorSettings.get("concurrency"),
      perHost: this.options.workers?.perHost ?? this.mirrorSettings.get("perHostConcurrency"),
    };
  }

  /** Whether keyless providers are refused now: the flag, or the setting. */
  requiresSignatures(): boolean {
    return this.options.requireSignatures === true || this.mirrorSettings.get("requireSignatures");
  }

  private settingsChanged(keys: readonly SettingKey[]): void {
    if (keys.includes("concurrency") || keys.includes("perHostConcurrency")) {
      this.pool.setLimits(this.workerLimits());
    }
    this.events.publish({ kind: "settings-changed", keys: [...keys] });
  }

  private upstreamChanged(host: string): void {
    this.discovery.invalidate(host);
    this.events.publish({ kind: "settings-changed", keys: ["upstreams"] });
  }

  /** Writes an air-gap bundle of what is stored (or of what an earlier bundle lacks) and records it. */
  exportBundle(request: ExportRequest, hooks?: ExportHooks): Promise<ExportResult> {
    return exportBundle(this.exportDeps(), request, hooks);
  }

  /** The counts and exact tar size an export would write, writing nothing. */
  planExport(request: Omit<ExportRequest, "file" | "gzip">): Promise<ExportPlanSummary> {
    return planExport(this.exportDeps(), request);
  }

  /** Streams an air-gap bundle to `out` (a browser download) and records it in the history under `label`. */
  exportBundleToStream(
    request: Omit<ExportRequest, "file">,
    out: Writable,
    label: string,
    hooks?: ExportHooks,
  ): Promise<ExportResult> {
    return exportBundleToStream(this.exportDeps(), request, out, label, hooks);
  }

  /** Checks a bundle offline without importing anything (the verify report). */
  verifyBundle(file: string, trustedKey: string | undefined): Promise<BundleReport> {
    return verifyBundle(file, trustedKey);
  }

  /** Verifies a bundle offline and, only if every check passes, makes its content visible in one transaction. */
  importBundle(file: string, fileSize: number, trust: BundleTrust, label?: string): Promise<ImportOutcome> {
    return importBundle(
      {
        store: this.store,
        providers: this.providers,
        modules: this.modules,
        bundles: this.bundles,
        sessions: this.sessions,
      },
      file,
      fileSize,
      trust,
      label,
    );
  }

  /** Bundles exported from and imported into this mirror, newest first. */
  bundleHistory(): BundleRecord[] {
    return this.bundles.list();
  }

  /** Every stored module version, for `larder list`. */
  moduleInventory(): ModuleVersionRecord[] {
    return this.modules.all();
  }

  /** Every stored provider version, for `larder list`. */
  providerInventory(): ProviderVersionSummary[] {
    return this.providers.summarize();
  }

  /** Upstream hosts something is stored for. */
  storedHosts(): string[] {
    return storedHostsOf(this.providers, this.modules);
  }

  private exportDeps(): ExportDependencies {
    return {
      store: this.store,
      providers: this.providers,
      modules: this.modules,
      bundles: this.bundles,
      larderVersion: APP_VERSION,
    };
  }

  /**
   * The mirror's change counter: moves on every commit that changes what the protocols answer, by any process
   * on this data dir. The server drops its cached answers when it moves.
   */
  mirrorGeneration(): number {
    return this.generation.current();
  }

  /** The stored tree by host, provider/module and version, with sizes and hashes (admin API, tooling). */
  inventory(): Inventory {
    return buildInventory(
      this.providers.allPackages(),
      this.modules.all(),
      this.mirrorSettings.get("clients"),
    );
  }

  /**
   * Deletes one platform of a provider version, or the whole version when no platform is given; the last platform
   * takes the release with it. Afterwards nothing of it is served. The bytes stay on disk until collectGarbage.
   * Throws LarderError "not_found" naming what is stored instead.
   */
  deleteProvider(target: ProviderDeleteTarget): { packages: number } {
    return deleteProvider(this.providers, target);
  }

  /** Deletes one module version (same rules as deleteProvider). */
  deleteModule(target: ModuleDeleteTarget): { modules: number } {
    return deleteModule(this.modules, target);
  }

  /**
   * Removes blob files no row references, keeping anything a running ingest (in any process) may still need; with
   * dryRun it reports exactly what it would remove. Synchronous: it decides and removes under SQLite's write lock.
   */
  collectGarbage(options: { dryRun: boolean }): GarbageReport {
    return collectGarbage(this.garbageDeps(), options);
  }

  /** Bytes per host, provider and module, in all, on disk and what collectGarbage would free. */
  diskUsage(): DiskUsage {
    return buildDiskUsage(
      this.providers.allPackages(),
      this.modules.all(),
      this.store.listFilesSync(),
      reclaimableBytes(this.garbageDeps()),
    );
  }

  private garbageDeps(): GarbageDependencies {
    return { blobs: this.blobs, sessions: this.sessions, store: this.store };
  }

  private moduleDeps(): ModuleMirrorDependencies {
    return {
      modules: this.modules,
      moduleRegistry: this.moduleRegistry,
      fetcher: this.fetcher,
      store: this.store,
      sessions: this.sessions,
      configs: this.configs,
    };
  }

  private providerIngestDeps(): MirrorDependencies {
    // Read at each ingest, so a setting another process changed applies to the next item too.
    this.pool.setLimits(this.workerLimits());
    return {
      registry: this.registry,
      http: this.http,
      store: this.store,
      providers: this.providers,
      sessions: this.sessions,
      maxArchiveBytes: this.options.maxArchiveBytes ?? 2 * 1024 ** 3,
      requireSignatures: this.requiresSignatures(),
    };
  }

  /**
   * Publishes what other processes change in this data directory (jobs, inventory, settings) on `events`,
   * checking every `intervalMs`; returns the function that stops it. `larder serve` runs it for its windows.
   */
  watchOtherProcesses(intervalMs = 1000): () => void {
    const watcher = new ChangeWatcher(new ChangeProbe(this.db), this.jobRows, this.events);
    const timer = setInterval(() => {
      try {
        watcher.poll();
      } catch {
        // A busy or closing database: the next poll catches up, since it compares with what it last saw.
      }
    }, intervalMs);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/** Pull-through acts for the registry client whose miss it fetches: the log names that client. */
function pullThroughActor(client: PullThroughClient): AuditActor {
  return {
    kind: "pull-through",
    ...(client.peer === undefined ? {} : { peer: client.peer }),
    ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent }),
  };
}
