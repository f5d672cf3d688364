import { RefreshCw } from "lucide-react";
import type { ProjectPlan } from "../../../shared/api/projects.js";
import { formatBytes, formatCount } from "../../components/format.js";
import { LoadingRows } from "../../components/states.js";
import type { PlanOutcome } from "../../state/projects.js";
import { Breakable } from "./breakable.js";
import { RemoteTable } from "./client-checks.js";

const KIND_LABELS: Record<ProjectPlan["items"][number]["kind"], string> = {
  "provider-package": "provider package",
  "module-version": "module version",
};

function PlanSummary(props: { readonly plan: ProjectPlan }) {
  const { totals } = props.plan;
  const refused = props.plan.items.filter((item) => item.refusal !== null).length;
  const toDownload = totals.items - totals.stored - refused;
  return (
    <p className="plan-summary">
      <strong>{formatCount(totals.items)}</strong> item(s): {formatCount(totals.stored)} already stored,{" "}
      <strong>{formatCount(toDownload)}</strong> to download
      {toDownload > 0 ? (
        <>
          {" "}
          — <strong>{formatBytes(totals.bytesToDownload)}</strong>
          {totals.unknownSizes > 0 ? `, plus ${formatCount(totals.unknownSizes)} of unknown size` : ""}
        </>
      ) : null}
      {refused > 0 ? (
        <>
          ; <strong className="danger-text">{formatCount(refused)} cannot be fetched</strong>
        </>
      ) : null}
      .
    </p>
  );
}

/** What Mirror would fetch, asked of the registries: every item, stored or to download, and what it weighs. */
export function PlanCard(props: { readonly outcome: PlanOutcome; readonly onPlanAgain: () => void }) {
  const { outcome } = props;
  return (
    <section className="card stack" aria-labelledby="plan-title" aria-busy={outcome.state === "running"}>
      <h2 id="plan-title">Plan</h2>
      {outcome.state === "running" ? (
        <>
          <p className="muted" role="status">
            Asking the registries what mirroring this project would fetch…
          </p>
          <LoadingRows rows={3} label="Planning" />
        </>
      ) : outcome.state === "failed" ? (
        <div className="failure-reason" role="alert">
          Could not plan: {outcome.message}
        </div>
      ) : (
        <>
          <div role="status">
            <PlanSummary plan={outcome.plan} />
          </div>
          {outcome.stale ? (
            <div className="banner info row">
              The mirror changed since this plan.
              <button type="button" className="button small" onClick={props.onPlanAgain}>
                <RefreshCw size={14} aria-hidden="true" /> Plan again
              </button>
            </div>
          ) : null}
          {outcome.plan.items.length > 0 ? (
            <div className="table-wrap">
              <table className="table compact plan-table">
                <caption className="visually-hidden">Items the mirror would fetch</caption>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Kind</th>
                    <th scope="col">State</th>
                    <th scope="col" className="numeric">
                      Size
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.plan.items.map((item) => (
                    <tr key={`${item.kind} ${item.label}`}>
                      <th scope="row">
                        <span className="mono break">
                          <Breakable text={item.label} />
                        </span>
                        {item.refusal !== null ? (
                          <span className="field-error block break">{item.refusal}</span>
                        ) : null}
                      </th>
                      <td className="nowrap">{KIND_LABELS[item.kind]}</td>
                      <td>
                        {item.stored ? (
                          <span className="badge ok">stored</span>
                        ) : item.refusal !== null ? (
                          <span className="badge danger">cannot be fetched</span>
                        ) : (
                          <span className="badge info">to download</span>
                        )}
                      </td>
                      <td className="numeric nowrap">
                        {item.refusal !== null
                          ? "—"
                          : item.size === null
                            ? "unknown"
                            : formatBytes(item.size)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {outcome.plan.remote.length > 0 ? (
            <RemoteTable remote={outcome.plan.remote} caption="Git and HTTP modules init fetches itself" />
          ) : null}
        </>
      )}
    </section>
  );
}
