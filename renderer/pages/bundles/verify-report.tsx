import type { VerifyReport } from "../../../shared/api/bundles.js";
import { formatDate } from "../../components/format.js";

function signatureText(signature: VerifyReport["signature"]): {
  text: string;
  tone: "ok" | "warn" | "danger";
} {
  switch (signature.status) {
    case "unsigned":
      return { text: "Not signed", tone: "warn" };
    case "signed-unchecked":
      return { text: `Signed by ${signature.keyId} (no trusted key given to check it)`, tone: "warn" };
    case "trusted":
      return { text: `Signed by the trusted key ${signature.keyId}`, tone: "ok" };
    case "failed":
      return { text: `Signature check failed: ${signature.reason}`, tone: "danger" };
  }
}

/** Every check `bundle verify` ran: the bundle's sums and signature, then entry by entry. */
export function VerifyReportView(props: { readonly report: VerifyReport }) {
  const { report } = props;
  const signature = signatureText(report.signature);
  const failed = report.entries.filter((entry) => entry.status === "failed").length;
  return (
    <div className="stack" aria-label="Verify report" role="region">
      <div className={`banner ${report.ok ? "info" : "danger"}`} role="status">
        {report.ok
          ? `Bundle ${report.bundleId} verified: all ${report.entries.length} entries pass.`
          : `Bundle ${report.bundleId} failed verification: ${failed} of ${report.entries.length} entries fail${report.sums.status === "failed" ? ", and its SHA256SUMS does not match" : ""}.`}
      </div>
      <dl className="facts small">
        <dt className="muted">Created</dt>
        <dd>{formatDate(report.createdAt)}</dd>
        <dt className="muted">By Larder</dt>
        <dd>{report.larderVersion}</dd>
        <dt className="muted">Incremental on</dt>
        <dd className="mono">{report.parentId ?? "— (a full bundle)"}</dd>
        <dt className="muted">SHA256SUMS</dt>
        <dd>
          {report.sums.status === "ok" ? (
            <span className="badge ok">ok</span>
          ) : (
            <span className="badge danger">{report.sums.reasons.join(" ")}</span>
          )}
        </dd>
        <dt className="muted">Signature</dt>
        <dd>
          <span className={`badge ${signature.tone}`}>{signature.text}</span>
        </dd>
      </dl>
      <table className="table">
        <caption className="visually-hidden">Entries checked</caption>
        <thead>
          <tr>
            <th scope="col">Result</th>
            <th scope="col">Entry</th>
            <th scope="col">Kind</th>
            <th scope="col">Checks</th>
          </tr>
        </thead>
        <tbody>
          {report.entries.map((entry) => (
            <tr key={entry.path}>
              <td>
                {entry.status === "ok" ? (
                  <span className="badge ok">ok</span>
                ) : (
                  <span className="badge danger">failed</span>
                )}
              </td>
              <td className="mono small break">{entry.path}</td>
              <td className="small nowrap">{entry.kind}</td>
              <td className="small">
                {entry.status === "ok" ? entry.checks.join(", ") : entry.reasons.join(" ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
