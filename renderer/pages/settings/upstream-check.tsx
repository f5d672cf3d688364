import { CheckCircle2, XCircle } from "lucide-react";
import type { UpstreamCheckState } from "../../state/settings.js";

/** The last test of one registry: each step (discovery, then each API) with what the registry answered. */
export function UpstreamCheckResult(props: { readonly host: string; readonly check: UpstreamCheckState }) {
  const { host, check } = props;
  const label = `Test of ${host}`;
  switch (check.state) {
    case "running":
      return (
        <p className="small muted" role="status" aria-label={label}>
          Testing {host}…
        </p>
      );
    case "failed":
      return (
        <p className="banner danger" role="alert" aria-label={label}>
          The test of {host} could not run: {check.message}
        </p>
      );
    case "done": {
      const { result } = check;
      return (
        <section className="upstream-check stack" role="status" aria-label={label}>
          <p>
            <strong className="mono">{host}</strong>{" "}
            <span className={`badge ${result.ok ? "ok" : "danger"}`}>
              {result.ok ? "usable" : "not usable"}
            </span>{" "}
            <span className="small muted">
              at <span className="mono">{result.baseUrl}</span>,{" "}
              {result.hasToken ? "with its token" : "without a token"}, {result.elapsedMs} ms
            </span>
          </p>
          <ul className="upstream-check-steps">
            {result.steps.map((step) => (
              <li key={step.name}>
                {step.ok ? (
                  <CheckCircle2 size={16} aria-hidden="true" color="var(--ok)" />
                ) : (
                  <XCircle size={16} aria-hidden="true" color="var(--danger)" />
                )}
                <span className="mono">{step.name}</span>
                <span className="small break">{step.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      );
    }
  }
}
