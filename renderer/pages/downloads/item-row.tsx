import type { JobItem } from "../../../shared/api/jobs.js";
import { formatBytes, formatDuration, formatRate } from "../../components/format.js";
import { ProgressBar } from "../../components/progress-bar.js";
import { useJobs } from "../../state/jobs.js";
import { itemActions } from "./actions.js";
import { ControlButtons } from "./control-buttons.js";
import { StateBadge } from "./state-badge.js";

/** One package or module version of a job: its bar, bytes, rate and time left while it runs, its reason if it failed. */
export function ItemRow(props: { readonly jobId: number; readonly item: JobItem }) {
  const { item } = props;
  const speed = useJobs((s) => s.speeds[item.id]);
  const running = item.state.status === "running";
  const tone =
    item.state.status === "succeeded" ? "ok" : item.state.status === "failed" ? "danger" : undefined;
  const done = item.state.status === "succeeded" ? (item.bytesTotal ?? item.bytesDone) : item.bytesDone;
  return (
    <li className="job-item">
      <div className="job-item-head">
        <span className="mono job-item-label">{item.label}</span>
        {item.label.startsWith(item.host) ? null : <span className="muted small">{item.host}</span>}
        <StateBadge state={item.state} />
        {item.requested ? (
          <span className="badge warn">{item.requested === "pause" ? "Pausing…" : "Cancelling…"}</span>
        ) : null}
        <span className="job-spacer" />
        <ControlButtons jobId={props.jobId} itemId={item.id} what={item.label} actions={itemActions(item)} />
      </div>
      <ProgressBar
        label={`Progress of ${item.label}`}
        done={done}
        total={item.state.status === "succeeded" ? Math.max(done, 1) : item.bytesTotal}
        {...(tone ? { tone } : {})}
      />
      <div className="row small muted job-figures">
        <span>
          {formatBytes(done)} of {formatBytes(item.bytesTotal)}
        </span>
        {running ? (
          <>
            <span>{formatRate(speed?.bytesPerSecond)}</span>
            <span>{formatDuration(speed?.etaSeconds)} left</span>
          </>
        ) : null}
      </div>
      {item.state.status === "failed" ? (
        <p className="failure-reason" role="note">
          {item.state.reason}
        </p>
      ) : null}
    </li>
  );
}
