import type { JobItemRecord } from "../db/job-rows.js";
import type { JobSummary } from "../jobs/job-summary.js";
import { formatBytes } from "./mirror-progress.js";
import { table } from "./table.js";

/** A job summary as `larder jobs --json` prints it. */
export function jobJson(job: JobSummary): Record<string, unknown> {
  return {
    id: job.id,
    kind: job.kind,
    what: job.what,
    state: job.state.status,
    ...(job.state.status === "failed" ? { reason: job.state.reason } : {}),
    items: job.items,
    bytesDone: job.bytesDone,
    bytesTotal: job.bytesTotal ?? null,
    ownerPid: job.ownerPid ?? null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/** An item as `larder jobs show --json` prints it. */
export function itemJson(item: JobItemRecord): Record<string, unknown> {
  return {
    id: item.id,
    kind: item.kind,
    item: item.label,
    state: item.state.status,
    ...(item.state.status === "failed" ? { reason: item.state.reason } : {}),
    interrupted: item.state.status === "queued" && item.state.interrupted,
    requested: item.requested ?? null,
    bytesDone: item.bytesDone,
    bytesTotal: item.bytesTotal ?? null,
    startedAt: item.startedAt ?? null,
    finishedAt: item.finishedAt ?? null,
  };
}

/** The `larder jobs` table. */
export function formatJobList(jobs: readonly JobSummary[]): string {
  if (jobs.length === 0) return "No jobs yet. Start one with: larder mirror provider hashicorp/null\n";
  return table(
    ["ID", "KIND", "STATE", "DONE/FAILED/TOTAL", "BYTES", "CREATED", "WHAT"],
    jobs.map((job) => [
      String(job.id),
      job.kind,
      job.state.status + (job.ownerPid === undefined ? "" : ` (pid ${job.ownerPid})`),
      `${job.items.succeeded}/${job.items.failed}/${job.items.total}`,
      bytes(job.bytesDone, job.bytesTotal),
      job.createdAt.replace("T", " ").slice(0, 19),
      job.what,
    ]),
  );
}

/** The `larder jobs show ID` text: the job line, then one row per item, then failure reasons in full. */
export function formatJobItems(job: JobSummary, items: readonly JobItemRecord[]): string {
  const head = `Job ${job.id} (${job.kind}) ${job.state.status}: ${job.what}\n`;
  const rows = items.map((item) => [
    String(item.id),
    item.state.status === "queued" && item.state.interrupted ? "queued (interrupted)" : item.state.status,
    bytes(item.bytesDone, item.bytesTotal),
    item.label,
  ]);
  const reasons = items.flatMap((item) =>
    item.state.status === "failed" ? [`item ${item.id}: ${item.state.reason}`] : [],
  );
  return `${head}${table(["ITEM", "STATE", "BYTES", "WHAT"], rows)}${reasons.map((line) => `${line}\n`).join("")}`;
}

function bytes(done: number, total: number | undefined): string {
  return total === undefined ? formatBytes(done) : `${formatBytes(done)}/${formatBytes(total)}`;
}
