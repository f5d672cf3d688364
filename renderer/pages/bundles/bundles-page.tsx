import { Download, PackageOpen } from "lucide-react";
import { useEffect } from "react";
import { formatBytes } from "../../components/format.js";
import { PageHeader } from "../../components/page-header.js";
import { ProgressBar } from "../../components/progress-bar.js";
import { EmptyState } from "../../components/states.js";
import { downloadUrl, useBundles, type BundleProgress } from "../../state/bundles.js";
import "../../styles/ops.css";
import { BundleHistory } from "./bundle-history.js";
import { ExportCard } from "./export-card.js";
import { ReceiveCard } from "./receive-card.js";

const VERBS = { export: "Export", verify: "Verify", import: "Import" } as const;

function ProgressCard(props: { readonly progress: BundleProgress }) {
  const { progress } = props;
  const verb = VERBS[progress.operation];
  const running = progress.phase === "started" || progress.phase === "progress";
  const label = running
    ? `${verb} under way`
    : progress.phase === "finished"
      ? `${verb} finished`
      : `${verb} failed`;
  return (
    <section className="card stack" aria-label="Bundle progress">
      <div className="section-title">
        <h2>{label}</h2>
        {progress.bytesDone > 0 || progress.bytesTotal !== null ? (
          <span className="muted small">
            {formatBytes(progress.bytesDone)}
            {progress.bytesTotal === null ? "" : ` of ${formatBytes(progress.bytesTotal)}`}
          </span>
        ) : null}
      </div>
      <ProgressBar
        label={label}
        done={progress.bytesDone}
        total={progress.bytesTotal}
        tone={progress.phase === "failed" ? "danger" : progress.phase === "finished" ? "ok" : undefined}
      />
      {progress.message ? <p className="field-error">{progress.message}</p> : null}
    </section>
  );
}

/**
 * While anything runs, and after a failure. A finished verify or import shows its result where it was asked
 * for; a finished export stays, since a browser download has no other word on the page that it completed.
 */
function showProgress(progress: BundleProgress): boolean {
  switch (progress.phase) {
    case "started":
    case "progress":
    case "failed":
      return true;
    case "finished":
      return progress.operation === "export";
  }
}

/** Bundles: carry the mirror to an air-gapped network (export), and check and take in what arrives. */
export function BundlesPage() {
  const load = useBundles((s) => s.load);
  const everything = useBundles((s) => s.everything);
  const inventory = useBundles((s) => s.inventory);
  const progress = useBundles((s) => s.progress);
  useEffect(() => {
    void load();
  }, [load]);
  const empty =
    inventory !== null && inventory.hosts.every((host) => host.providers.length + host.modules.length === 0);
  return (
    <div className="page">
      <PageHeader
        title="Bundles"
        subtitle="Carry the mirror to an air-gapped network, and check what arrives."
        actions={
          everything.state === "done" ? (
            <a className="button primary" href={downloadUrl({})} download>
              <Download size={16} aria-hidden="true" /> Export everything (
              {formatBytes(everything.value.tarBytes)})
            </a>
          ) : null
        }
      />
      {progress && showProgress(progress) ? <ProgressCard progress={progress} /> : null}
      {empty ? (
        <section className="card">
          <EmptyState icon={PackageOpen} title="Nothing stored to export yet">
            Mirror providers or modules first, or import a bundle below.
          </EmptyState>
        </section>
      ) : (
        <ExportCard />
      )}
      <ReceiveCard />
      <BundleHistory />
    </div>
  );
}
