import { setTimeout as sleep } from "node:timers/promises";
import { clientsOfHost, hostsFor, REGISTRY_CLIENTS, type RegistryClient } from "../core/clients.js";
import { errorMessage, LarderError } from "../core/errors.js";
import { formatModuleAddress, isHostlessModuleAddress, parseModuleAddress } from "../core/module-address.js";
import { formatPlatform } from "../core/platform.js";
import {
  formatProviderAddress,
  isHostlessProviderAddress,
  parseProviderAddress,
} from "../core/provider-address.js";
import type { ControlAction, ControlResult, JobControlRepository } from "../db/job-control-repository.js";
import type { JobRepository } from "../db/job-repository.js";
import type { JobItemRecord, JobRecord, Lease, NewJobItem } from "../db/job-rows.js";
import { DEFAULT_RUNNER_TIMING, JobRunner, type RunnerTiming } from "../jobs/job-runner.js";
import type { JobRunResult, StopMode } from "../jobs/job-runner-types.js";
import { summarizeJob, type JobSummary } from "../jobs/job-summary.js";
import { leaseIsLive } from "../jobs/process-liveness.js";
import type { WorkerPool } from "../jobs/worker-pool.js";
import { createItemExecutor, type JobObserver } from "./job-executor.js";
import {
  moduleJobRequestSchema,
  projectJobRequestSchema,
  providerJobRequestSchema,
  type ProjectJobRequest,
} from "./job-requests.js";
import { mirrorEventPublisher, moduleEventPublisher, type LarderEventBus } from "./larder-events.js";
import {
  planModuleVersions,
  type MirrorModulesRequest,
  type ModuleMirrorDependencies,
  type ModuleMirrorEvent,
} from "./mirror-modules.js";
import type { MirrorDependencies, MirrorProvidersRequest } from "./mirror-providers.js";
import { planProviderPackages, type PlannedPackage } from "./plan-provider-packages.js";
import { moduleItemOf } from "./module-job-items.js";
import { planProjectJob, type ProjectPlan } from "./project/plan-project-job.js";
import type { ProjectNeeds } from "./project/project-walk.js";
import { providerItemOf } from "./provider-job-items.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

/** What the job service is built from (the composition root supplies it). */
export interface JobServiceDependencies {
  readonly jobs: JobRepository;
  readonly control: JobControlRepository;
  readonly pool: WorkerPool;
  readonly bus: LarderEventBus;
  readonly nextRun: () => number;
  readonly providerDeps: () => MirrorDependencies;
  readonly moduleDeps: () => ModuleMirrorDependencies;
  /** The `clients` setting: whose default hosts a host-less address stands for when a request names none. */
  readonly defaultClients: () => readonly RegistryClient[];
  /** Reads a project the way init would (issue 16), for `larder mirror project`. */
  readonly walkProject: (dir: string, client: RegistryClient, signal?: AbortSignal) => Promise<ProjectNeeds>;
  readonly timing?: RunnerTiming;
}

/** Options of one foreground run. */
export interface RunOptions {
  readonly observer?: JobObserver;
  /** Stops the run: the job is paused (or, with onStop "interrupt", left queued for the next start). */
  readonly signal?: AbortSignal;
  readonly onStop?: StopMode;
}

/**
 * Persistent mirror jobs: planning a request into items, running them on the shared worker pool, and controlling
 * them (pause, resume, cancel, retry) from this or another process.
 */
export class JobService {
  private readonly timing: RunnerTiming;
  private readonly running = new Set<number>();

  constructor(private readonly deps: JobServiceDependencies) {
    this.timing = deps.timing ?? DEFAULT_RUNNER_TIMING;
  }

  /**
   * Plans a provider mirror (versions × platforms, on each host the address stands for) and stores it as a job;
   * platforms upstream does not offer become failed items, so `larder jobs` shows what was asked.
   */
  createProviderJob(request: MirrorProvidersRequest, signal?: AbortSignal): Promise<JobRecord> {
    return this.createProvidersJob([request.address], request, signal);
  }

  /** As `createProviderJob`, for several addresses with the same versions and platforms, as one job. */
  async createProvidersJob(
    given: readonly string[],
    request: Omit<MirrorProvidersRequest, "address">,
    signal?: AbortSignal,
  ): Promise<JobRecord> {
    const addresses = [...new Set(given)];
    const clients = request.clients ?? this.deps.defaultClients();
    const stored = providerJobRequestSchema.parse({
      address: addresses[0],
      ...(addresses.length > 1 ? { addresses: [...addresses] } : {}),
      versions: [...request.versions],
      allVersions: request.allVersions ?? false,
      platforms: [...request.platforms],
      clients: [...clients],
    });
    const planned: PlannedPackage[] = [];
    const names: string[] = [];
    for (const given of addresses) {
      const explicit = parseProviderAddress(given);
      const hosts = hostsFor(isHostlessProviderAddress(given), explicit.host, clients);
      const ofAddress: PlannedPackage[] = [];
      for (const host of hosts) {
        const address = formatProviderAddress(parseProviderAddress(given, host));
        ofAddress.push(
          ...(await forHost(host, hosts, clients, () =>
            planProviderPackages(this.deps.providerDeps(), { ...stored, address }, signal),
          )),
        );
      }
      planned.push(...ofAddress);
      const platforms = [...new Set(ofAddress.map((entry) => formatPlatform(entry.ref.platform)))].join(", ");
      const versions = [...new Set(ofAddress.map((entry) => entry.ref.version))].join(", ");
      const name =
        hosts.length > 1 ? `${given} for ${clients.join(" and ")}` : formatProviderAddress(explicit);
      names.push(ofAddress.length > 0 ? `${name} ${versions} (${platforms})` : given);
    }
    return this.deps.jobs.create(
      "mirror-provider",
      `${addresses.length > 1 ? "providers" : "provider"} ${names.join("; ")}`,
      JSON.stringify(stored),
      planned.map(providerItemOf),
    );
  }

  /**
   * A job for exact packages, planned by the caller (pull-through knows the version and platform a client asked
   * for): no listing request, the same items and executor as any mirror.
   */
  createPackageJob(what: string, refs: readonly ProviderPackageRef[]): JobRecord {
    const request = providerJobRequestSchema.parse({
      address: refs[0] ? formatProviderAddress(refs[0].address) : "-",
      versions: [...new Set(refs.map((ref) => ref.version))],
      allVersions: false,
      platforms: [...new Set(refs.map((ref) => formatPlatform(ref.platform)))],
    });
    return this.deps.jobs.create(
      "mirror-provider",
      what,
      JSON.stringify(request),
      refs.map((ref) => providerItemOf({ ref })),
    );
  }

  /** A job for one exact module version without its dependencies (pull-through: a client asked for it). */
  createModuleVersionJob(what: string, address: string, version: string): JobRecord {
    const request = moduleJobRequestSchema.parse({
      address,
      versions: [version],
      allVersions: false,
      withDependencies: false,
      platforms: [],
    });
    return this.deps.jobs.create("mirror-module", what, JSON.stringify(request), [
      moduleItemOf(request, version),
    ]);
  }

  /**
   * Resolves a module request's versions on each host its address stands for and stores it as a job with one
   * item per module version; the providers each requires join the job when that item runs.
   */
  createModuleJob(request: MirrorModulesRequest, signal?: AbortSignal): Promise<JobRecord> {
    return this.createModulesJob([request.address], request, signal);
  }

  /** As `createModuleJob`, for several addresses with the same versions and options, as one job. */
  async createModulesJob(
    given: readonly string[],
    request: Omit<MirrorModulesRequest, "address">,
    signal?: AbortSignal,
  ): Promise<JobRecord> {
    const addresses = [...new Set(given)];
    const clients = request.clients ?? this.deps.defaultClients();
    const stored = moduleJobRequestSchema.parse({
      address: addresses[0],
      ...(addresses.length > 1 ? { addresses: [...addresses] } : {}),
      versions: [...request.versions],
      allVersions: request.allVersions ?? false,
      withDependencies: request.withDependencies,
      platforms: [...request.platforms],
      clients: [...clients],
    });
    const suffix = stored.withDependencies ? " with dependencies" : "";
    const items: NewJobItem[] = [];
    const names: string[] = [];
    for (const given of addresses) {
      const { address, subdir } = parseModuleAddress(given);
      const hosts = hostsFor(isHostlessModuleAddress(given), address.host, clients);
      for (const host of hosts) {
        const hosted = { ...address, host };
        const qualified = `${formatModuleAddress(hosted)}${subdir === "" ? "" : `//${subdir}`}`;
        const one = { ...stored, address: qualified };
        const { versions } = await forHost(host, hosts, clients, () =>
          planModuleVersions(this.deps.moduleDeps(), one, signal),
        );
        names.push(`${formatModuleAddress(hosted)} ${versions.join(", ")}`);
        for (const version of versions) items.push(moduleItemOf(one, version));
      }
    }
    return this.deps.jobs.create(
      "mirror-module",
      `${addresses.length > 1 ? "modules" : "module"} ${names.join(" and ")}${suffix}`,
      JSON.stringify(stored),
      items,
    );
  }

  /**
   * Plans `larder mirror project` (every provider and registry module of the projects, for each client and
   * platform) and stores it as one job; the plan's external module sources come back for the caller to list.
   */
  async createProjectJob(
    request: ProjectJobRequest,
    signal?: AbortSignal,
    onModuleEvent?: (event: ModuleMirrorEvent) => void,
  ): Promise<{ readonly job: JobRecord; readonly plan: ProjectPlan }> {
    const stored = projectJobRequestSchema.parse(request);
    const plan = await this.planProject(stored, signal, onModuleEvent);
    const job = this.deps.jobs.create("mirror-project", plan.what, JSON.stringify(stored), plan.items);
    return { job, plan };
  }

  /**
   * What `createProjectJob` would store, without storing a job (the UI's Plan). The project's registry modules are
   * stored on the way: what they require can only be read from them.
   */
  planProject(
    request: ProjectJobRequest,
    signal?: AbortSignal,
    onModuleEvent?: (event: ModuleMirrorEvent) => void,
  ): Promise<ProjectPlan> {
    return planProjectJob(
      { providers: this.deps.providerDeps(), modules: this.deps.moduleDeps(), walk: this.deps.walkProject },
      projectJobRequestSchema.parse(request),
      signal,
      onModuleEvent,
    );
  }

  /**
   * Runs a job in this process until nothing of it is queued or running; publishes its state changes. A job
   * already running in this process is refused: its lease names only the process, so it cannot tell two runs apart.
   */
  async run(jobId: number, options: RunOptions = {}): Promise<JobRunResult> {
    if (this.running.has(jobId))
      throw new LarderError("conflict", `Job ${jobId} is already running in this process.`);
    this.running.add(jobId);
    try {
      return await this.runner(jobId, options).run(jobId, options.signal, options.onStop);
    } finally {
      this.running.delete(jobId);
    }
  }

  private runner(jobId: number, options: RunOptions): JobRunner {
    const run = this.deps.nextRun();
    const bus = this.deps.bus;
    const publishMirror = mirrorEventPublisher(bus, run, jobId);
    const publishModule = moduleEventPublisher(bus, run, jobId);
    const observer = options.observer ?? {};
    const executor = createItemExecutor(
      {
        providers: this.deps.providerDeps(),
        modules: this.deps.moduleDeps(),
        defaultClients: this.deps.defaultClients(),
      },
      {
        onMirrorEvent: (event, itemId) => {
          observer.onMirrorEvent?.(event, itemId);
          publishMirror(event, itemId);
        },
        onModuleEvent: (event, itemId) => {
          observer.onModuleEvent?.(event, itemId);
          publishModule(event, itemId);
        },
        ...(observer.onModuleReport ? { onModuleReport: observer.onModuleReport } : {}),
      },
    );
    return new JobRunner(
      this.deps.jobs,
      this.deps.control,
      this.deps.pool,
      executor,
      (event) => {
        if (event.kind === "job-state") bus.publish({ kind: "job", job: event.jobId, state: event.state });
        else
          bus.publish({
            kind: "job-item",
            job: event.jobId,
            itemId: event.itemId,
            item: event.label,
            state: event.state,
          });
      },
      this.timing,
    );
  }

  /** Pauses, cancels, resumes or retries a job or one item; running items of a live owner are only flagged. */
  control(jobId: number, action: ControlAction, itemId?: number): ControlResult {
    return this.deps.control.control(jobId, action, itemId, this.isLive);
  }

  /**
   * Waits until the owner has stopped the items a pause or cancel flagged (it polls every few hundred ms), so a
   * person knows the transfer has stopped when the command returns.
   */
  async waitForOwner(jobId: number, itemId: number | undefined, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const flagged = this.deps.jobs
        .items(jobId)
        .filter((item) => item.requested !== undefined && item.state.status === "running")
        .filter((item) => itemId === undefined || item.id === itemId);
      const job = this.deps.jobs.get(jobId);
      if (flagged.length === 0 || job.lease === undefined || !this.isLive(job.lease)) return;
      if (Date.now() > deadline) {
        throw new LarderError(
          "conflict",
          `Process ${job.lease.pid} has not stopped job ${jobId} within ${timeoutMs / 1000} s; it will when it next checks. See: larder jobs show ${jobId}`,
        );
      }
      await sleep(this.timing.pollMs / 2);
    }
  }

  /** Every job with its summary, newest first. */
  list(): JobSummary[] {
    return this.deps.jobs.list().map((job) => this.summary(job));
  }

  /** One job's summary and items. */
  show(jobId: number): { readonly job: JobSummary; readonly items: readonly JobItemRecord[] } {
    const job = this.deps.jobs.get(jobId);
    return { job: this.summary(job), items: this.deps.jobs.items(jobId) };
  }

  /** The live process that runs a job, if any. */
  ownerOf(jobId: number): number | undefined {
    const { lease } = this.deps.jobs.get(jobId);
    return lease !== undefined && this.isLive(lease) ? lease.pid : undefined;
  }

  /** Puts items left running by a process that died back in the queue, marked interrupted; returns their jobs. */
  recoverInterrupted(): number[] {
    return this.deps.control.recoverAbandoned(this.isLive);
  }

  /** Jobs with queued items and no live owner, which `larder serve` resumes at start. */
  resumableJobs(): number[] {
    return this.deps.control.unownedWithQueuedItems(this.isLive);
  }

  private summary(job: JobRecord): JobSummary {
    const live = job.lease !== undefined && this.isLive(job.lease);
    return summarizeJob(job, this.deps.jobs.items(job.id), live);
  }

  private readonly isLive = (lease: Lease): boolean => leaseIsLive(lease, this.timing.staleAfterMs);
}

/**
 * Plans on one of the hosts a host-less address stands for. When there are several, a failure says which client's
 * registry failed and how to mirror for the others only, since the person typed no host at all.
 */
async function forHost<T>(
  host: string,
  hosts: readonly string[],
  clients: readonly RegistryClient[],
  plan: () => Promise<T>,
): Promise<T> {
  try {
    return await plan();
  } catch (error) {
    if (hosts.length < 2 || !(error instanceof LarderError)) throw error;
    const these = clientsOfHost(host, clients);
    const others = REGISTRY_CLIENTS.filter((client) => clients.includes(client) && !these.includes(client));
    const hint = others.map((client) => `--for ${client}`).join(" ");
    throw new LarderError(
      error.code,
      `${errorMessage(error)} (looked up on ${host}, the registry ${these.join(" and ")} reads a host-less address from; to mirror for ${others.join(" and ")} only, add ${hint})`,
      { cause: error },
    );
  }
}
