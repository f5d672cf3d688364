import { CheckCircle2, XCircle } from "lucide-react";
import type { ConnectState } from "../../state/connect.js";

/** The connection test's result in full: every check the server ran against itself, with its detail. */
export function ConnectionTestResult(props: { readonly test: ConnectState["test"] }) {
  const { test } = props;
  switch (test.state) {
    case "idle":
      return null;
    case "running":
      return (
        <section className="card" role="status">
          <p className="muted">Testing the connection…</p>
        </section>
      );
    case "failed":
      return (
        <div className="banner danger" role="alert">
          The test could not run: {test.message}
        </div>
      );
    case "done":
      return (
        <section className="card stack" aria-labelledby="test-title">
          <h2 id="test-title">{test.result.ok ? "Connection test passed" : "Connection test failed"}</h2>
          <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {test.result.checks.map((check) => (
              <li key={check.name} className="row" style={{ alignItems: "flex-start", flexWrap: "nowrap" }}>
                {check.ok ? (
                  <CheckCircle2 size={18} aria-hidden="true" color="var(--ok)" />
                ) : (
                  <XCircle size={18} aria-hidden="true" color="var(--danger)" />
                )}
                <div>
                  <strong>{check.name}</strong>{" "}
                  <span className={`badge ${check.ok ? "ok" : "danger"}`}>{check.ok ? "ok" : "failed"}</span>
                  <p className="small muted break">{check.detail}</p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      );
  }
}
