import { ScrollText } from "lucide-react";
import { useEffect, useState, type SyntheticEvent } from "react";
import { formatDateTime } from "../../components/format.js";
import { PageHeader } from "../../components/page-header.js";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { AUDIT_ACTORS, useActivity, type AuditActor } from "../../state/activity.js";
import "../../styles/ops.css";
import { ActivityTable } from "./activity-table.js";

// Suggestions for the action filter: what the audit log records (main/engine/audit-log.ts lists them all).
const KNOWN_ACTIONS = [
  "mirror.provider",
  "mirror.module",
  "mirror.project",
  "project.add",
  "project.update",
  "project.remove",
  "job.pause",
  "job.resume",
  "job.cancel",
  "job.retry",
  "bundle.export",
  "bundle.import",
  "config.set",
  "upstream.set",
  "upstream.remove",
  "inventory.delete",
  "gc",
  "catalog.refresh",
];

function isActor(value: string): value is AuditActor {
  return AUDIT_ACTORS.some((actor) => actor === value);
}

/** Activity: every recorded change, who made it (the CLI, this UI, the API) from where, and how it went. */
export function ActivityPage() {
  const entries = useActivity((s) => s.entries);
  const nextBefore = useActivity((s) => s.nextBefore);
  const filters = useActivity((s) => s.filters);
  const loading = useActivity((s) => s.loading);
  const error = useActivity((s) => s.error);
  const load = useActivity((s) => s.load);
  const loadOlder = useActivity((s) => s.loadOlder);
  const [actor, setActor] = useState<AuditActor | null>(filters.actor);
  const [action, setAction] = useState(filters.action);
  useEffect(() => {
    void load();
  }, [load]);
  const apply = (event: SyntheticEvent): void => {
    event.preventDefault();
    void load({ actor, action });
  };
  const filtered = filters.actor !== null || filters.action.trim() !== "";
  const actions = [...new Set([...KNOWN_ACTIONS, ...(entries ?? []).map((entry) => entry.action)])].sort();
  let body;
  if (entries === null && error !== null)
    body = (
      <ErrorState
        title="Could not load the activity"
        message={error}
        onRetry={() => {
          void load();
        }}
      />
    );
  else if (entries === null) body = <LoadingRows label="Loading the activity" />;
  else if (entries.length === 0)
    body = (
      <EmptyState icon={ScrollText} title={filtered ? "Nothing matches these filters" : "No activity yet"}>
        {filtered
          ? "Clear a filter to see more."
          : "Changes made from the CLI, this UI or the API (mirroring, settings, bundles) are recorded here."}
      </EmptyState>
    );
  else
    body = (
      <>
        <ActivityTable entries={entries} />
        <div className="row">
          {nextBefore === null ? (
            <span className="muted small">
              That is everything{entries.length > 0 ? `, back to ${formatDateTime(entries.at(-1)?.at)}` : ""}.
            </span>
          ) : (
            <button type="button" className="button" disabled={loading} onClick={() => void loadOlder()}>
              {loading ? "Loading…" : "Load older"}
            </button>
          )}
          {error !== null ? (
            <span className="field-error" role="alert">
              {error}
            </span>
          ) : null}
        </div>
      </>
    );
  return (
    <div className="page">
      <PageHeader title="Activity" subtitle="Every change to this mirror, newest first." />
      <form className="card row" aria-label="Filters" onSubmit={apply} style={{ alignItems: "flex-end" }}>
        <div className="field">
          <label htmlFor="activity-actor">Actor</label>
          <select
            id="activity-actor"
            className="select"
            value={actor ?? ""}
            onChange={(event) => {
              setActor(isActor(event.target.value) ? event.target.value : null);
            }}
          >
            <option value="">Anyone</option>
            {AUDIT_ACTORS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="activity-action">Action</label>
          <input
            id="activity-action"
            className="input mono"
            list="activity-actions"
            placeholder="any action"
            value={action}
            onChange={(event) => {
              setAction(event.target.value);
            }}
          />
          <datalist id="activity-actions">
            {actions.map((value) => (
              <option key={value} value={value} />
            ))}
          </datalist>
        </div>
        <button type="submit" className="button primary">
          Apply filters
        </button>
        {filtered ? (
          <button
            type="button"
            className="button ghost"
            onClick={() => {
              setActor(null);
              setAction("");
              void load({ actor: null, action: "" });
            }}
          >
            Clear
          </button>
        ) : null}
      </form>
      <section className="card" aria-label="Activity">
        {body}
      </section>
    </div>
  );
}
