import { LarderError } from "./errors.js";

/** The state of one job item (a provider package or a module version), as a discriminated union. */
export type ItemState =
  | { readonly status: "queued"; readonly interrupted: boolean }
  | { readonly status: "running" }
  | { readonly status: "paused" }
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly reason: string }
  | { readonly status: "cancelled" };

/** An item state's name. */
export type ItemStatus = ItemState["status"];

/** The state of a whole job, derived from its items so the two can never disagree. */
export type JobState =
  | { readonly status: "queued" }
  | { readonly status: "running" }
  | { readonly status: "paused" }
  | { readonly status: "succeeded" }
  | { readonly status: "failed"; readonly reason: string }
  | { readonly status: "cancelled" };

/** A job state's name. */
export type JobStatus = JobState["status"];

/** Every item status, for schema checks and parsing. */
export const ITEM_STATUSES = [
  "queued",
  "running",
  "paused",
  "succeeded",
  "failed",
  "cancelled",
] as const satisfies readonly ItemStatus[];

/**
 * The legal moves. `running` is left only by the process that runs the item (or by recovery when that process
 * died); `succeeded` is final, because the package is stored and visible.
 */
const NEXT: Readonly<Record<ItemStatus, readonly ItemStatus[]>> = {
  queued: ["running", "paused", "cancelled"],
  running: ["succeeded", "failed", "paused", "cancelled", "queued"],
  paused: ["queued", "cancelled"],
  failed: ["queued"],
  cancelled: ["queued"],
  succeeded: [],
};

/** Whether an item may move from one status to another. */
export function canTransition(from: ItemStatus, to: ItemStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws a conflict error naming the item when a move is not allowed. */
export function assertTransition(label: string, from: ItemStatus, to: ItemStatus): void {
  if (!canTransition(from, to)) {
    throw new LarderError("conflict", `${label} is ${from}; it cannot become ${to}.`);
  }
}

/**
 * The job's state from its items: running while any item runs, queued while any waits, then paused, failed
 * (naming the first failure), cancelled, succeeded.
 */
export function deriveJobState(items: readonly ItemState[]): JobState {
  const has = (status: ItemStatus): boolean => items.some((item) => item.status === status);
  if (has("running")) return { status: "running" };
  if (has("queued")) return { status: "queued" };
  if (has("paused")) return { status: "paused" };
  const failures = items.flatMap((item) => (item.status === "failed" ? [item.reason] : []));
  const [first] = failures;
  if (first !== undefined) {
    const reason = failures.length === 1 ? first : `${failures.length} items failed; the first: ${first}`;
    return { status: "failed", reason };
  }
  if (has("cancelled")) return { status: "cancelled" };
  return { status: "succeeded" };
}
