import type { ConnectInfo } from "../../../shared/api/connect.js";
import { CopyButton } from "../../components/copy-button.js";

const OS_NAMES: Record<ConnectInfo["trust"][number]["os"], string> = {
  linux: "Linux",
  macos: "macOS",
  windows: "Windows",
};

/** How to trust Larder's CA on each OS, each command with its own copy button. */
export function TrustSteps(props: { readonly info: ConnectInfo }) {
  const { info } = props;
  return (
    <section className="card stack" aria-labelledby="trust-title">
      <h2 id="trust-title">Trust Larder's CA (network mirror)</h2>
      {info.trust.length === 0 ? (
        <p className="muted">
          HTTPS is off (larder serve --https-port), so only host mode works and there is no CA to trust.
        </p>
      ) : (
        <>
          <p className="muted small">
            Terraform and tofu have no option for a CA of their own: the network mirror works once the system
            (or SSL_CERT_FILE) trusts <span className="mono">{info.caCertPath}</span>.
          </p>
          {info.trust.map((entry) => (
            <div key={entry.os} className="stack">
              <h3>{OS_NAMES[entry.os]}</h3>
              {entry.steps.map((step, index) => (
                <div key={step.command} className="stack">
                  <div className="code-head">
                    <span className="small">{step.note}</span>
                    <CopyButton text={step.command} label={`Copy ${OS_NAMES[entry.os]} step ${index + 1}`} />
                  </div>
                  <pre
                    className="code-block small"
                    tabIndex={0}
                    aria-label={`${OS_NAMES[entry.os]} step ${index + 1}`}
                  >
                    {step.command}
                  </pre>
                </div>
              ))}
            </div>
          ))}
        </>
      )}
    </section>
  );
}
