import { deriveJobState, type ItemStatus, type JobState } from "../core/job-state.js";
import type { JobItemRecord, JobKind, JobRecord } from "../db/job-rows.js";

/** One line of `larder jobs`: what a job is, where it stands, how far it got. */
export interface JobSummary {
  readonly id: number;
  readonly kind: JobKind;
  readonly what: string;
  readonly state: JobState;
  readonly items: Readonly<Record<ItemStatus, number>> & { readonly total: number };
  readonly bytesDone: number;
  /** The sum of the known totals; undefined while no item's size is known. */
  readonly bytesTotal: number | undefined;
  /** The process running it, when one is. */
  readonly ownerPid: number | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Summarises a job and its items. */
export function summarizeJob(
  job: JobRecord,
  items: readonly JobItemRecord[],
  ownerLive: boolean,
): JobSummary {
  const counts: Record<ItemStatus, number> = {
    queued: 0,
    running: 0,
    paused: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const item of items) counts[item.state.status] += 1;
  const totals = items.flatMap((item) => (item.bytesTotal === undefined ? [] : [item.bytesTotal]));
  return {
    id: job.id,
    kind: job.kind,
    what: job.what,
    state: deriveJobState(items.map((item) => item.state)),
    items: { ...counts, total: items.length },
    bytesDone: items.reduce((sum, item) => sum + item.bytesDone, 0),
    bytesTotal: totals.length === 0 ? undefined : totals.reduce((sum, total) => sum + total, 0),
    ownerPid: ownerLive ? job.lease?.pid : undefined,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
