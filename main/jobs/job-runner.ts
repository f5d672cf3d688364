import { errorMessage, LarderError } from "../core/errors.js";
import { deriveJobState, type ItemState, type ItemStatus, type JobState } from "../core/job-state.js";
import type { JobControlRepository, LeaseLiveness } from "../db/job-control-repository.js";
import type { JobRepository } from "../db/job-repository.js";
import type { JobItemRecord } from "../db/job-rows.js";
import type { ItemExecutor, JobRunnerEvent, JobRunResult, StopMode } from "./job-runner-types.js";
import { currentOwner, leaseIsLive } from "./process-liveness.js";
import type { WorkerPool } from "./worker-pool.js";

/** Timing of the runner's checks; tests and `serve` use the defaults. */
export interface RunnerTiming {
  /** How often control requests from other processes are read (they take effect within this). */
  readonly pollMs: number;
  readonly heartbeatMs: number;
  /** A lease whose heartbeat is older than this is taken over even if its pid exists (reused pids, other hosts). */
  readonly staleAfterMs: number;
}

/** Default timing: control felt within a quarter second, a dead owner's lease taken over after 15 s at worst. */
export const DEFAULT_RUNNER_TIMING: RunnerTiming = { pollMs: 250, heartbeatMs: 1000, staleAfterMs: 15_000 };

/** Why a running item's transfer is aborted; the abort reason tells the item where to go. */
/** Why an item's transfer was aborted; "lease-lost": another process owns the job now and records its states. */
type AbortCause = "pause" | "cancel" | "shutdown" | "lease-lost";

const PROGRESS_WRITE_MS = 500;

/**
 * Runs the queued items of persistent jobs on a shared worker pool. It holds the job's lease while it runs,
 * heartbeats it, and polls SQLite for pause/cancel requests from other processes, aborting the affected transfers
 * at once (partial bytes stay on disk for a resume). Items queued while it runs (a resume or retry from elsewhere)
 * are picked up too.
 */
export class JobRunner {
  constructor(
    private readonly jobs: JobRepository,
    private readonly control: JobControlRepository,
    private readonly pool: WorkerPool,
    private readonly execute: ItemExecutor,
    private readonly onEvent: (event: JobRunnerEvent) => void,
    private readonly timing: RunnerTiming = DEFAULT_RUNNER_TIMING,
  ) {}

  /** Whether a lease's owner counts as alive under this runner's timing. */
  readonly isLive: LeaseLiveness = (lease) => leaseIsLive(lease, this.timing.staleAfterMs);

  /**
   * Runs a job until none of its items is queued or running. An abort of `signal` stops it: `pause` pauses every
   * unfinished item, `interrupt` leaves them queued (marked interrupted) for the next start.
   */
  async run(jobId: number, signal?: AbortSignal, onStop: StopMode = "pause"): Promise<JobRunResult> {
    const owner = currentOwner();
    const held = this.control.acquireLease(jobId, owner, Date.now(), this.isLive);
    if (held) {
      throw new LarderError(
        "conflict",
        `Job ${jobId} is already being run by process ${held.pid} on ${held.host}. Control it with: larder jobs pause|cancel ${jobId}`,
      );
    }
    const active = new Map<number, AbortController>();
    const known = new Map<number, ItemStatus>();
    let lastJob: JobState | undefined;
    let stopping: StopMode | undefined;
    let counts = { stored: 0, alreadyStored: 0 };
    let wake: () => void = () => undefined;
    const report = (): void => {
      const items = this.jobs.items(jobId);
      for (const item of items) {
        if (known.get(item.id) === item.state.status) continue;
        known.set(item.id, item.state.status);
        this.onEvent({ kind: "item-state", jobId, itemId: item.id, label: item.label, state: item.state });
      }
      const state = deriveJobState(items.map((item) => item.state));
      if (lastJob?.status !== state.status) this.onEvent({ kind: "job-state", jobId, state });
      lastJob = state;
    };
    const stop = (): void => {
      stopping = onStop;
      for (const controller of active.values()) controller.abort(onStop === "pause" ? "pause" : "shutdown");
      wake();
    };
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
    let released = false;
    let leaseLost = false;
    try {
      for (let lastBeat = Date.now(); ;) {
        report();
        for (const item of this.jobs.itemsIn(jobId, "queued")) {
          if (active.has(item.id)) continue;
          if (stopping === "pause") this.jobs.setItemState(item.id, { status: "paused" }, "queued");
          else if (stopping === undefined) {
            const controller = new AbortController();
            active.set(item.id, controller);
            void this.work(item, controller, report)
              .then((outcome) => {
                if (outcome === "stored") counts = { ...counts, stored: counts.stored + 1 };
                if (outcome === "already-stored")
                  counts = { ...counts, alreadyStored: counts.alreadyStored + 1 };
              })
              // Recording the outcome failed (the database is gone or locked for long): the item stays as it is
              // in the database, and recovery on the next start queues it again if it was left running.
              .catch(() => undefined)
              .finally(() => {
                active.delete(item.id);
                wake();
              });
          }
        }
        if (active.size === 0) {
          if (stopping !== undefined) break;
          if (this.control.releaseIfIdle(jobId, owner)) {
            released = true;
            break;
          }
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, this.timing.pollMs).unref();
        });
        if (Date.now() - lastBeat >= this.timing.heartbeatMs) {
          lastBeat = Date.now();
          if (!this.control.heartbeat(jobId, owner, lastBeat)) {
            // This process stalled past the stale time (a sleeping laptop) and another took the job over: stop
            // without writing any state, since the items are the new owner's now.
            leaseLost = true;
            stopping = "interrupt";
            for (const controller of active.values()) controller.abort("lease-lost");
          }
        }
        for (const { itemId, requested } of this.control.pendingRequests(jobId)) {
          active.get(itemId)?.abort(requested);
        }
      }
    } finally {
      signal?.removeEventListener("abort", stop);
      if (!released && !leaseLost) this.control.release(jobId, owner);
    }
    if (leaseLost) {
      throw new LarderError(
        "conflict",
        `Job ${jobId} was taken over by another process while this one was stalled; it continues there (larder jobs show ${jobId}).`,
      );
    }
    report();
    const items = this.jobs.items(jobId);
    return {
      job: this.jobs.get(jobId),
      state: deriveJobState(items.map((item) => item.state)),
      items,
      ...counts,
    };
  }

  /** Runs one item in a pool slot and records where it ends; resolves with the outcome kind or undefined. */
  private async work(
    item: JobItemRecord,
    controller: AbortController,
    report: () => void,
  ): Promise<"stored" | "already-stored" | undefined> {
    let release: (() => void) | undefined;
    let running = false;
    let lastWrite = 0;
    try {
      release = await this.pool.acquire(item.host, controller.signal);
      if (!this.jobs.setItemState(item.id, { status: "running" }, "queued")) return undefined;
      running = true;
      report();
      const outcome = await this.execute(item, {
        signal: controller.signal,
        onProgress: (bytesDone, bytesTotal) => {
          const at = Date.now();
          if (at - lastWrite < PROGRESS_WRITE_MS && bytesDone !== bytesTotal) return;
          lastWrite = at;
          this.jobs.updateProgress(item.id, bytesDone, bytesTotal);
        },
        addItems: (items) => {
          const added = this.jobs.addItems(item.jobId, items);
          // Subscribers see the new items queued at once; the run loop starts them when a slot frees.
          if (added > 0) report();
          return added;
        },
      });
      this.jobs.updateProgress(item.id, outcome.bytes, outcome.bytes);
      this.jobs.setItemState(item.id, { status: "succeeded" }, "running");
      report();
      return outcome.kind;
    } catch (error) {
      if (controller.signal.reason === "lease-lost") return undefined;
      const next = nextState(controller.signal, error);
      if (running) this.jobs.setItemState(item.id, next, "running");
      else if (next.status !== "queued") this.jobs.setItemState(item.id, next, "queued");
      report();
      return undefined;
    } finally {
      release?.();
    }
  }
}

/** Where an item goes when its work threw: the abort's cause when it was stopped, failed otherwise. */
function nextState(signal: AbortSignal, error: unknown): ItemState {
  const cause = signal.aborted ? (signal.reason as AbortCause) : undefined;
  switch (cause) {
    case "pause":
      return { status: "paused" };
    case "cancel":
      return { status: "cancelled" };
    case "shutdown":
    case "lease-lost":
      return { status: "queued", interrupted: true };
    case undefined:
      return { status: "failed", reason: errorMessage(error) };
  }
}
