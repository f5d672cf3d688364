import { setTimeout as sleep } from "node:timers/promises";
import { LarderError } from "../core/errors.js";
import { formatModuleAddress, parseModuleAddress } from "../core/module-address.js";
import { formatPlatform } from "../core/platform.js";
import { formatProviderAddress } from "../core/provider-address.js";
import type { ControlAction, ControlResult, JobControlRepository } from "../db/job-control-repository.js";
import type { JobRepository } from "../db/job-repository.js";
import type { JobItemRecord, JobRecord, Lease, NewJobItem } from "../db/job-rows.js";
import { DEFAULT_RUNNER_TIMING, JobRunner, type RunnerTiming } from "../jobs/job-runner.js";
import type { JobRunResult, StopMode } from "../jobs/job-runner-types.js";
import { summarizeJob, type JobSummary } from "../jobs/job-summary.js";
import { leaseIsLive } from "../jobs/process-liveness.js";
import type { WorkerPool } from "../jobs/worker-pool.js";
import { createItemExecutor, type JobObserver } from "./job-executor.js";
import { moduleJobRequestSchema, providerJobRequestSchema } from "./job-requests.js";
import { mirrorEventPublisher, moduleEventPublisher, type LarderEventBus } from "./larder-events.js";
import {
  planModuleVersions,
  type MirrorModulesRequest,
  type ModuleMirrorDependencies,
} from "./mirror-modules.js";
import type { MirrorDependencies, MirrorEvent, MirrorProvidersRequest } from "./mirror-providers.js";
import { planProviderPackages } from "./plan-provider-packages.js";
import { describePackage } from "./provider-package-ref.js";

/** What the job service is built from (the composition root supplies it). */
export interface JobServiceDependencies {
  readonly jobs: JobRepository;
  readonly control: JobControlRepository;
  readonly pool: WorkerPool;
  readonly bus: LarderEventBus;
  readonly nextRun: () => number;
  readonly providerDeps: () => MirrorDependencies;
  readonly moduleDeps: () => ModuleMirrorDependencies;
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

  /** Plans a provider mirror (versions × platforms) and stores it as a job; planning refusals become failed items. */
  async createProviderJob(
    request: MirrorProvidersRequest,
    onEvent?: (event: MirrorEvent) => void,
    signal?: AbortSignal,
  ): Promise<JobRecord> {
    const stored = providerJobRequestSchema.parse({
      address: request.address,
      versions: [...request.versions],
      allVersions: request.allVersions ?? false,
      platforms: [...request.platforms],
    });
    const planned = await planProviderPackages(this.deps.providerDeps(), stored, signal);
    onEvent?.({ kind: "planned", items: planned.map((entry) => entry.ref) });
    const items: NewJobItem[] = planned.map(({ ref, refusal }) => ({
      kind: "provider-package",
      label: describePackage(ref),
      host: ref.address.host,
      refJson: JSON.stringify({
        ...ref.address,
        version: ref.version,
        os: ref.platform.os,
        arch: ref.platform.arch,
      }),
      ...(refusal === undefined ? {} : { failedReason: refusal }),
    }));
    const [first] = planned;
    const platforms = [...new Set(planned.map((entry) => formatPlatform(entry.ref.platform)))].join(", ");
    const versions = [...new Set(planned.map((entry) => entry.ref.version))].join(", ");
    const what = first
      ? `provider ${formatProviderAddress(first.ref.address)} ${versions} (${platforms})`
      : `provider ${request.address}`;
    const job = this.deps.jobs.create("mirror-provider", what, JSON.stringify(stored), items);
    for (const { ref, refusal } of planned)
      if (refusal !== undefined) onEvent?.({ kind: "failed", item: ref, message: refusal });
    return job;
  }

  /** Resolves a module request's versions and stores it as a job with one item per module version. */
  async createModuleJob(request: MirrorModulesRequest, signal?: AbortSignal): Promise<JobRecord> {
    const stored = moduleJobRequestSchema.parse({
      address: request.address,
      versions: [...request.versions],
      allVersions: request.allVersions ?? false,
      withDependencies: request.withDependencies,
      platforms: [...request.platforms],
    });
    const { host, versions } = await planModuleVersions(this.deps.moduleDeps(), stored, signal);
    const name = formatModuleAddress(parseModuleAddress(stored.address).address);
    const suffix = stored.withDependencies ? " with dependencies" : "";
    const items: NewJobItem[] = versions.map((version) => ({
      kind: "module-version",
      label: `module ${name} ${version}${suffix}`,
      host,
      refJson: JSON.stringify({
        address: stored.address,
        version,
        withDependencies: stored.withDependencies,
        platforms: stored.platforms,
      }),
    }));
    return this.deps.jobs.create(
      "mirror-module",
      `module ${name} ${versions.join(", ")}${suffix}`,
      JSON.stringify(stored),
      items,
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
    const publishModule = moduleEventPublisher(bus, run);
    const observer = options.observer ?? {};
    const executor = createItemExecutor(this.deps.providerDeps(), this.deps.moduleDeps(), {
      onMirrorEvent: (event) => {
        observer.onMirrorEvent?.(event);
        publishMirror(event);
      },
      onModuleEvent: (event) => {
        observer.onModuleEvent?.(event);
        if (event.kind === "provider") publishMirror(event.event);
        else publishModule(event);
      },
      ...(observer.onModuleReport ? { onModuleReport: observer.onModuleReport } : {}),
    });
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
