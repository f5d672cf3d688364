import { History } from "lucide-react";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { formatBytes, formatCount, formatDateTime } from "../../components/format.js";
import { useBundles } from "../../state/bundles.js";

/** Every bundle exported from or imported into this mirror, newest first. */
export function BundleHistory() {
  const history = useBundles((s) => s.history);
  const error = useBundles((s) => s.historyError);
  const load = useBundles((s) => s.load);
  let body;
  if (error !== null && history === null)
    body = (
      <ErrorState
        title="Could not load the bundle history"
        message={error}
        onRetry={() => {
          void load();
        }}
      />
    );
  else if (history === null) body = <LoadingRows label="Loading the bundle history" rows={3} />;
  else if (history.length === 0)
    body = (
      <EmptyState icon={History} title="No bundles yet">
        Exports and imports appear here, so a later export can carry only what is new.
      </EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Bundle history</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Direction</th>
              <th scope="col">Bundle</th>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">Contents</th>
              <th scope="col">Signed by</th>
            </tr>
          </thead>
          <tbody>
            {history.map((record) => (
              <tr key={`${record.direction}-${record.id}-${record.recordedAt}`}>
                <td className="nowrap">{formatDateTime(record.recordedAt)}</td>
                <td>
                  <span className={`badge ${record.direction === "export" ? "info" : "ok"}`}>
                    {record.direction === "export" ? "Exported" : "Imported"}
                  </span>
                </td>
                <td className="mono small" title={record.id}>
                  {record.id.slice(0, 8)}
                  {record.parentId ? (
                    <span className="muted"> (on {record.parentId.slice(0, 8)})</span>
                  ) : null}
                </td>
                <td className="mono small break">{record.file}</td>
                <td className="nowrap">{formatBytes(record.size)}</td>
                <td className="small">
                  {formatCount(record.providerPackages)} provider package(s),{" "}
                  {formatCount(record.moduleVersions)} module version(s)
                </td>
                <td className="mono small">{record.signedBy ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title" className="section-title">
        History
      </h2>
      {body}
    </section>
  );
}
