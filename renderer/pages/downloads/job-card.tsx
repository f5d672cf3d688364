import type { JobItem, JobSummary } from "../../../shared/api/jobs.js";
import { formatAgo, formatBytes, formatDuration, formatRate } from "../../components/format.js";
import { ProgressBar } from "../../components/progress-bar.js";
import { useJobs } from "../../state/jobs.js";
import { jobActions } from "./actions.js";
import { ControlButtons } from "./control-buttons.js";
import { ItemRow } from "./item-row.js";
import { isFinished, StateBadge } from "./state-badge.js";

const EMPTY: readonly JobItem[] = [];

/** One job: what it mirrors, its state, overall progress, its controls and its items. */
export function JobCard(props: { readonly job: JobSummary }) {
  const { job } = props;
  const items = useJobs((s) => s.items[job.id] ?? EMPTY);
  const speeds = useJobs((s) => s.speeds);
  const actionError = useJobs((s) => s.actionErrors[job.id]);
  // Progress events move items' bytes between summary fetches, so the job's figures are summed from its items.
  const done = items.length > 0 ? items.reduce((sum, item) => sum + doneOf(item), 0) : job.bytesDone;
  const total =
    items.length > 0 && items.every((item) => item.bytesTotal !== null)
      ? items.reduce((sum, item) => sum + (item.bytesTotal ?? 0), 0)
      : job.bytesTotal;
  const running = items.filter((item) => item.state.status === "running");
  // Counted from the items too, as item events arrive: the summary's counts lag until its refetch.
  const counts =
    items.length > 0
      ? {
          succeeded: items.filter((item) => item.state.status === "succeeded").length,
          failed: items.filter((item) => item.state.status === "failed").length,
          total: items.length,
        }
      : job.items;
  const rate = running.reduce((sum, item) => sum + (speeds[item.id]?.bytesPerSecond ?? 0), 0);
  const etas = running.map((item) => speeds[item.id]?.etaSeconds ?? null).filter((eta) => eta !== null);
  const finished = isFinished(job.state);
  const tone = job.state.status === "succeeded" ? "ok" : job.state.status === "failed" ? "danger" : undefined;
  const title = `job ${job.id}: ${job.what}`;
  return (
    <article className="card job-card" aria-label={title}>
      <div className="job-head">
        <div className="job-title">
          <h3 className="mono">{job.what}</h3>
          <span className="small muted">
            Job {job.id} · started {formatAgo(job.createdAt)}
            {job.ownerPid !== null ? ` · run by process ${job.ownerPid}` : ""}
          </span>
        </div>
        <StateBadge state={job.state} />
        <ControlButtons jobId={job.id} what={title} actions={jobActions(job, items)} />
      </div>
      <ProgressBar
        label={`Progress of ${title}`}
        done={done}
        total={job.state.status === "succeeded" ? Math.max(done, total ?? 1) : total}
        {...(tone ? { tone } : {})}
      />
      <div className="row small muted job-figures">
        <span>
          {formatBytes(done)} of {formatBytes(total)}
        </span>
        <span>
          {counts.succeeded} of {counts.total} items done
          {counts.failed > 0 ? `, ${counts.failed} failed` : ""}
        </span>
        {!finished && running.length > 0 ? (
          <>
            <span>{formatRate(rate)}</span>
            <span>{etas.length > 0 ? `${formatDuration(Math.max(...etas))} left` : "—"}</span>
          </>
        ) : null}
      </div>
      {job.state.status === "failed" && !items.some((item) => sameReason(item, job.state)) ? (
        <p className="failure-reason" role="note">
          {job.state.reason}
        </p>
      ) : null}
      {actionError ? (
        <div className="banner danger" role="alert">
          {actionError}
        </div>
      ) : null}
      {items.length > 0 ? (
        <details className="job-items" open={!finished || job.items.failed > 0}>
          <summary>{items.length === 1 ? "1 item" : `${items.length} items`}</summary>
          <ul className="job-item-list">
            {items.map((item) => (
              <ItemRow key={item.id} jobId={job.id} item={item} />
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}

/** A one-item job fails with its item's reason: shown once, on the item. */
function sameReason(item: JobItem, state: JobSummary["state"]): boolean {
  return item.state.status === "failed" && state.status === "failed" && item.state.reason === state.reason;
}

function doneOf(item: JobItem): number {
  return item.state.status === "succeeded" ? (item.bytesTotal ?? item.bytesDone) : item.bytesDone;
}
