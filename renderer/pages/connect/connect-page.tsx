import { Plug } from "lucide-react";
import { useEffect } from "react";
import { PageHeader } from "../../components/page-header.js";
import { ErrorState, LoadingRows } from "../../components/states.js";
import { useConnect } from "../../state/connect.js";
import "../../styles/ops.css";
import { CliConfigs } from "./cli-config.js";
import { ConnectionTestResult } from "./connection-test.js";
import { TrustSteps } from "./trust-steps.js";

/** Connect: the CLI configuration for terraform and tofu, where it goes, the CA trust steps, a connection test. */
export function ConnectPage() {
  const info = useConnect((s) => s.info);
  const error = useConnect((s) => s.error);
  const test = useConnect((s) => s.test);
  const load = useConnect((s) => s.load);
  const runTest = useConnect((s) => s.runTest);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="page">
      <PageHeader
        title="Connect"
        subtitle="Point terraform and tofu at this mirror."
        actions={
          <button
            type="button"
            className="button primary"
            disabled={test.state === "running"}
            onClick={() => {
              void runTest();
            }}
          >
            <Plug size={16} aria-hidden="true" /> Test connection
          </button>
        }
      />
      <ConnectionTestResult test={test} />
      {info === null && error !== null ? (
        <ErrorState
          title="Could not load the connection details"
          message={error}
          onRetry={() => {
            void load();
          }}
        />
      ) : null}
      {info === null && error === null ? <LoadingRows label="Loading the connection details" /> : null}
      {info !== null ? (
        <>
          <p className="muted small">
            Larder listens on <span className="mono">{info.httpUrl}</span>
            {info.httpsUrl ? (
              <>
                {" "}
                and <span className="mono">{info.httpsUrl}</span>
              </>
            ) : null}
            .
          </p>
          <CliConfigs info={info} />
          <TrustSteps info={info} />
        </>
      ) : null}
    </div>
  );
}
