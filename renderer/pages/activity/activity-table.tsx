import type { AuditEntry } from "../../../shared/api/audit.js";
import { formatAgo, formatDateTime } from "../../components/format.js";

const ACTOR_NAMES: Record<AuditEntry["actor"], string> = {
  cli: "CLI",
  ui: "UI",
  api: "API",
  "pull-through": "pull-through",
};

/** The audit entries as rows: when, who and from where, what, on what, and how it went (with its detail). */
export function ActivityTable(props: { readonly entries: readonly AuditEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Recorded changes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((entry) => (
            <tr key={entry.id}>
              <td className="nowrap" title={entry.at}>
                {formatDateTime(entry.at)}
                <div className="muted small">{formatAgo(entry.at)}</div>
              </td>
              <td className="nowrap">
                <span className="badge info">{ACTOR_NAMES[entry.actor]}</span>
                {entry.peer ? <div className="muted small mono">{entry.peer}</div> : null}
              </td>
              <td className="mono small nowrap">{entry.action}</td>
              <td className="mono small break">{entry.target}</td>
              <td>
                <span className={`badge ${entry.outcome === "ok" ? "ok" : "danger"}`}>{entry.outcome}</span>
                {entry.detail ? <div className="small muted break">{entry.detail}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
