import { Link } from "react-router";
import type { JobState } from "../../../shared/api/jobs.js";
import type { MirrorOutcome } from "../../state/projects.js";

/** How the job is going, in words; the status badge above says the rest once the mirror changed. */
function jobWords(job: JobState | null): { text: string; tone: "info" | "ok" | "danger" | "warn" } {
  if (job === null) return { text: "", tone: "info" };
  switch (job.status) {
    case "queued":
      return { text: "It is queued.", tone: "info" };
    case "running":
      return { text: "It is running.", tone: "info" };
    case "paused":
      return { text: "It is paused.", tone: "warn" };
    case "succeeded":
      return { text: "It succeeded.", tone: "ok" };
    case "failed":
      return { text: `It failed: ${job.reason}`, tone: "danger" };
    case "cancelled":
      return { text: "It was cancelled.", tone: "warn" };
  }
}

/** The Mirror button's result: the job it started with a link to Downloads, or why it could not start. */
export function MirrorOutcomeNote(props: { readonly outcome: MirrorOutcome | undefined }) {
  const { outcome } = props;
  return (
    <div aria-live="polite">
      {outcome?.state === "started"
        ? (() => {
            const words = jobWords(outcome.job);
            return (
              <p className={`banner ${words.tone} wrap`} role="status">
                <span>
                  Started job {outcome.jobId} — <Link to="/downloads">see Downloads</Link>. {words.text}
                </span>
              </p>
            );
          })()
        : null}
      {outcome?.state === "failed" ? (
        <p className="banner danger wrap" role="alert">
          Could not start the mirror: {outcome.message}
        </p>
      ) : null}
    </div>
  );
}
