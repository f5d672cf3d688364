import type { ItemState, ItemStatus } from "../core/job-state.js";

/** What a job mirrors. */
export type JobKind = "mirror-provider" | "mirror-module" | "mirror-project";

/** What one job item is. */
export type JobItemKind = "provider-package" | "module-version";

/** A pause or cancel asked for while another process runs the item. */
export type ControlRequest = "pause" | "cancel";

/** The process that runs a job, and when it last said it is alive (ms since the epoch). */
export interface LeaseOwner {
  readonly pid: number;
  readonly host: string;
}

/** A lease as stored: its owner and last heartbeat. */
export interface Lease extends LeaseOwner {
  readonly heartbeatAt: number;
}

/** A stored job. */
export interface JobRecord {
  readonly id: number;
  readonly kind: JobKind;
  readonly what: string;
  readonly requestJson: string;
  readonly lease: Lease | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A stored job item. */
export interface JobItemRecord {
  readonly id: number;
  readonly jobId: number;
  readonly kind: JobItemKind;
  readonly label: string;
  readonly refJson: string;
  /** The upstream host the item is fetched from, for the per-host limit. */
  readonly host: string;
  readonly state: ItemState;
  readonly requested: ControlRequest | undefined;
  readonly bytesDone: number;
  readonly bytesTotal: number | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startedAt: string | undefined;
  readonly finishedAt: string | undefined;
}

/** A new item: where it starts (queued, or failed when planning already refused it). */
export interface NewJobItem {
  readonly kind: JobItemKind;
  readonly label: string;
  readonly refJson: string;
  readonly host: string;
  readonly failedReason?: string;
}

export interface JobRow {
  id: number;
  kind: JobKind;
  what: string;
  request_json: string;
  owner_pid: number | null;
  owner_host: string | null;
  heartbeat_at: number | null;
  created_at: string;
  updated_at: string;
}

export interface ItemRow {
  id: number;
  job_id: number;
  kind: JobItemKind;
  label: string;
  ref_json: string;
  host: string;
  state: ItemStatus;
  reason: string | null;
  interrupted: number;
  requested: ControlRequest | null;
  bytes_done: number;
  bytes_total: number | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A job row as a record. */
export function toJobRecord(row: JobRow): JobRecord {
  const lease =
    row.owner_pid !== null && row.heartbeat_at !== null
      ? { pid: row.owner_pid, host: row.owner_host ?? "", heartbeatAt: row.heartbeat_at }
      : undefined;
  return {
    id: row.id,
    kind: row.kind,
    what: row.what,
    requestJson: row.request_json,
    lease,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An item row's state as the union. */
export function itemStateOf(row: Pick<ItemRow, "state" | "reason" | "interrupted">): ItemState {
  switch (row.state) {
    case "queued":
      return { status: "queued", interrupted: row.interrupted === 1 };
    case "failed":
      return { status: "failed", reason: row.reason ?? "unknown reason" };
    case "running":
    case "paused":
    case "succeeded":
    case "cancelled":
      return { status: row.state };
  }
}

/** An item row as a record. */
export function toItemRecord(row: ItemRow): JobItemRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    kind: row.kind,
    label: row.label,
    refJson: row.ref_json,
    host: row.host,
    state: itemStateOf(row),
    requested: row.requested ?? undefined,
    bytesDone: row.bytes_done,
    bytesTotal: row.bytes_total ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
  };
}
