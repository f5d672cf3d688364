import { DownloadCloud } from "lucide-react";
import type { ReactNode } from "react";
import { Link } from "react-router";
import type { MirrorStart } from "../state/catalog-detail.js";

/** What is picked, the Mirror button, and how the start went: a link to the job on Downloads, or the error. */
export function MirrorBar(props: {
  readonly summary: ReactNode;
  readonly disabled: boolean;
  readonly onMirror: () => void;
  readonly mirror: MirrorStart | null;
  readonly children?: ReactNode;
}) {
  const { mirror } = props;
  return (
    <div className="mirror-bar">
      <div className="mirror-bar-main">
        <p className="mirror-bar-summary">{props.summary}</p>
        {props.children}
        <button
          type="button"
          className="button primary"
          onClick={props.onMirror}
          disabled={props.disabled || mirror?.state === "starting"}
        >
          <DownloadCloud size={16} aria-hidden="true" />
          {mirror?.state === "starting" ? "Starting…" : "Mirror"}
        </button>
      </div>
      <div aria-live="polite">
        {mirror?.state === "started" ? (
          <p className="banner info" role="status">
            Started job {mirror.jobId} — <Link to="/downloads">see Downloads</Link>
          </p>
        ) : null}
        {mirror?.state === "failed" ? (
          <p className="banner danger" role="alert">
            Could not start the mirror: {mirror.error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
