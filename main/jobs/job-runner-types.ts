import type { ItemState, JobState } from "../core/job-state.js";
import type { JobItemRecord, JobRecord, NewJobItem } from "../db/job-rows.js";

/** What running one item achieved: stored now, or found already stored. */
export interface ItemOutcome {
  readonly kind: "stored" | "already-stored";
  readonly bytes: number;
}

/**
 * What an executor gets for one item: a signal that stops its transfer at once, a progress sink, and a way to add
 * the work the item found (a module's required providers) to its job, where the same runner schedules it.
 */
export interface ItemContext {
  readonly signal: AbortSignal;
  onProgress(bytesDone: number, bytesTotal: number | undefined): void;
  /** Queues items on this item's job, skipping any the job already has; returns how many were new. */
  addItems(items: readonly NewJobItem[]): number;
}

/** Does the work of one item (supplied by the engine); throws with a reason a person can act on. */
export type ItemExecutor = (item: JobItemRecord, context: ItemContext) => Promise<ItemOutcome>;

/** State changes the runner reports (always, unthrottled). */
export type JobRunnerEvent =
  | { readonly kind: "job-state"; readonly jobId: number; readonly state: JobState }
  | {
      readonly kind: "item-state";
      readonly jobId: number;
      readonly itemId: number;
      readonly label: string;
      readonly state: ItemState;
    };

/** What a foreground stop (Ctrl-C, shutdown) does to the job: pause it, or leave it queued for the next start. */
export type StopMode = "pause" | "interrupt";

/** How one run of a job ended. */
export interface JobRunResult {
  readonly job: JobRecord;
  readonly state: JobState;
  readonly items: readonly JobItemRecord[];
  /** Items this run stored, and items it found already stored. */
  readonly stored: number;
  readonly alreadyStored: number;
}
