import { LarderError } from "../core/errors.js";
import type { ItemState } from "../core/job-state.js";
import type { Db } from "./connection.js";
import { JobRepository } from "./job-repository.js";
import type { ControlRequest, JobItemRecord, Lease, LeaseOwner } from "./job-rows.js";

/** What a person can ask of a job or an item. */
export type ControlAction = "pause" | "cancel" | "resume" | "retry";

/** What a control request did at once, and how many running items wait for their owner to stop them. */
export interface ControlResult {
  readonly changed: number;
  readonly waiting: number;
  /** The live process that runs the job, if any. */
  readonly owner: Lease | undefined;
}

/** Whether a lease's owner is still alive (decided by the caller: pid checks are not SQL). */
export type LeaseLiveness = (lease: Lease) => boolean;

type Effect = { readonly state: ItemState } | { readonly flag: ControlRequest } | undefined;

/** SQL for controlling jobs across processes: pause/cancel/resume/retry requests, leases and recovery. */
export class JobControlRepository {
  private readonly jobs: JobRepository;

  constructor(private readonly db: Db) {
    this.jobs = new JobRepository(db);
  }

  /**
   * Applies a control action to a job (or one item) in one transaction. Items the live owner is running are only
   * flagged; that process stops them and records the outcome. Refuses, as a conflict, an action with nothing to do.
   */
  control(
    jobId: number,
    action: ControlAction,
    itemId: number | undefined,
    isLive: LeaseLiveness,
  ): ControlResult {
    return this.db
      .transaction(() => {
        const job = this.jobs.get(jobId);
        const owner = job.lease !== undefined && isLive(job.lease) ? job.lease : undefined;
        const targets = itemId === undefined ? this.jobs.items(jobId) : [this.jobs.item(jobId, itemId)];
        let changed = 0;
        let waiting = 0;
        for (const item of targets) {
          const effect = effectOf(action, item, owner !== undefined);
          if (effect === undefined) continue;
          if ("flag" in effect) {
            this.db.prepare("UPDATE job_items SET requested = ? WHERE id = ?").run(effect.flag, item.id);
            waiting += 1;
          } else {
            this.jobs.setItemState(item.id, effect.state);
            changed += 1;
          }
        }
        if (changed + waiting === 0) throw nothingToDo(jobId, action, targets, itemId);
        return { changed, waiting, owner };
      })
      .immediate();
  }

  /** Running items of a job whose pause or cancel was asked for. */
  pendingRequests(jobId: number): { readonly itemId: number; readonly requested: ControlRequest }[] {
    return this.db
      .prepare<[number], { id: number; requested: ControlRequest }>(
        "SELECT id, requested FROM job_items WHERE job_id = ? AND state = 'running' AND requested IS NOT NULL",
      )
      .all(jobId)
      .map((row) => ({ itemId: row.id, requested: row.requested }));
  }

  /**
   * Takes the job's lease for `owner` unless a live process holds it; returns that process's lease when it does.
   * Items left running by a dead owner go back to the queue, marked interrupted.
   */
  acquireLease(jobId: number, owner: LeaseOwner, at: number, isLive: LeaseLiveness): Lease | undefined {
    return this.db
      .transaction(() => {
        const { lease } = this.jobs.get(jobId);
        const mine = lease !== undefined && lease.pid === owner.pid && lease.host === owner.host;
        if (lease !== undefined && !mine && isLive(lease)) return lease;
        this.db
          .prepare("UPDATE jobs SET owner_pid = ?, owner_host = ?, heartbeat_at = ? WHERE id = ?")
          .run(owner.pid, owner.host, at, jobId);
        this.requeueRunning(jobId);
        return undefined;
      })
      .immediate();
  }

  /** Tells other processes the owner is alive; false when `owner` no longer holds the lease (it was taken over). */
  heartbeat(jobId: number, owner: LeaseOwner, at: number): boolean {
    const { changes } = this.db
      .prepare("UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND owner_pid = ? AND owner_host = ?")
      .run(at, jobId, owner.pid, owner.host);
    return changes > 0;
  }

  /**
   * Gives the lease up when no item waits; false (lease kept) when one was queued meanwhile, e.g. by a resume from
   * another process that saw this owner alive and so left the work to it.
   */
  releaseIfIdle(jobId: number, owner: LeaseOwner): boolean {
    return this.db
      .transaction(() => {
        if (this.jobs.itemsIn(jobId, "queued").length > 0) return false;
        this.release(jobId, owner);
        return true;
      })
      .immediate();
  }

  /** Gives the lease up unconditionally (shutdown, failure). */
  release(jobId: number, owner: LeaseOwner): void {
    this.db
      .prepare(
        `UPDATE jobs SET owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL
         WHERE id = ? AND owner_pid = ? AND owner_host = ?`,
      )
      .run(jobId, owner.pid, owner.host);
  }

  /**
   * After a crash: items left running by an owner that is gone go back to the queue, marked interrupted, and the
   * dead lease is dropped. Returns the ids of the jobs that had interrupted items.
   */
  recoverAbandoned(isLive: LeaseLiveness): number[] {
    return this.db
      .transaction(() => {
        const recovered: number[] = [];
        for (const job of this.jobs.list()) {
          if (job.lease !== undefined && isLive(job.lease)) continue;
          if (job.lease !== undefined)
            this.db
              .prepare(
                "UPDATE jobs SET owner_pid = NULL, owner_host = NULL, heartbeat_at = NULL WHERE id = ?",
              )
              .run(job.id);
          if (this.requeueRunning(job.id) > 0) recovered.push(job.id);
        }
        return recovered;
      })
      .immediate();
  }

  /** Jobs with queued items and no live owner: what `larder serve` resumes at start. */
  unownedWithQueuedItems(isLive: LeaseLiveness): number[] {
    return this.jobs
      .list()
      .filter((job) => job.lease === undefined || !isLive(job.lease))
      .filter((job) => this.jobs.itemsIn(job.id, "queued").length > 0)
      .map((job) => job.id)
      .sort((a, b) => a - b);
  }

  private requeueRunning(jobId: number): number {
    const running = this.jobs.itemsIn(jobId, "running");
    for (const item of running) this.jobs.setItemState(item.id, { status: "queued", interrupted: true });
    return running.length;
  }
}

function effectOf(action: ControlAction, item: JobItemRecord, ownerLive: boolean): Effect {
  const status = item.state.status;
  switch (action) {
    case "pause":
      if (status === "queued") return { state: { status: "paused" } };
      if (status === "running") return ownerLive ? { flag: "pause" } : { state: { status: "paused" } };
      return undefined;
    case "cancel":
      if (status === "queued" || status === "paused") return { state: { status: "cancelled" } };
      if (status === "running") return ownerLive ? { flag: "cancel" } : { state: { status: "cancelled" } };
      return undefined;
    case "resume":
      if (status === "paused" || (status === "running" && !ownerLive))
        return { state: { status: "queued", interrupted: status === "running" } };
      return undefined;
    case "retry":
      if (status === "failed" || status === "cancelled")
        return { state: { status: "queued", interrupted: false } };
      return undefined;
  }
}

function nothingToDo(
  jobId: number,
  action: ControlAction,
  targets: readonly JobItemRecord[],
  itemId: number | undefined,
): LarderError {
  const [first] = targets;
  if (itemId !== undefined && first !== undefined) {
    return new LarderError(
      "conflict",
      `Item ${first.id} of job ${jobId} (${first.label}) is ${first.state.status}; there is nothing to ${action}.`,
    );
  }
  const counts = new Map<string, number>();
  for (const item of targets) counts.set(item.state.status, (counts.get(item.state.status) ?? 0) + 1);
  const states = [...counts].map(([status, count]) => `${count} ${status}`).join(", ") || "no items";
  return new LarderError("conflict", `Job ${jobId} has nothing to ${action}: its items are ${states}.`);
}
