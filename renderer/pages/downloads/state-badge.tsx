import type { ItemState, JobState } from "../../../shared/api/jobs.js";

/** How a job or item state reads: a label and a badge tone. Exhaustive, so a new state fails to compile here. */
export function describeState(state: JobState | ItemState): { label: string; tone: string } {
  switch (state.status) {
    case "queued":
      return {
        label: "interrupted" in state && state.interrupted ? "Queued (interrupted)" : "Queued",
        tone: "",
      };
    case "running":
      return { label: "Running", tone: "info" };
    case "paused":
      return { label: "Paused", tone: "warn" };
    case "succeeded":
      return { label: "Succeeded", tone: "ok" };
    case "failed":
      return { label: "Failed", tone: "danger" };
    case "cancelled":
      return { label: "Cancelled", tone: "" };
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** Whether a state is over: the job moves from the active list into history. */
export function isFinished(state: JobState | ItemState): boolean {
  switch (state.status) {
    case "queued":
    case "running":
    case "paused":
      return false;
    case "succeeded":
    case "failed":
    case "cancelled":
      return true;
    default: {
      const never: never = state;
      return never;
    }
  }
}

export function StateBadge(props: { readonly state: JobState | ItemState }) {
  const { label, tone } = describeState(props.state);
  return <span className={`badge${tone ? ` ${tone}` : ""}`}>{label}</span>;
}
