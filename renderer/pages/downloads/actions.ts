import type { ItemState, JobAction, JobItem, JobSummary } from "../../../shared/api/jobs.js";

/** The actions that make sense for a job: by its items' counts, so the server never answers "nothing to do". */
export function jobActions(job: JobSummary): JobAction[] {
  const { queued, running, paused, failed, cancelled } = job.items;
  const actions: JobAction[] = [];
  if (queued + running > 0) actions.push("pause");
  if (paused > 0) actions.push("resume");
  if (failed + cancelled > 0) actions.push("retry");
  if (queued + running + paused > 0) actions.push("cancel");
  return actions;
}

/** The actions that make sense for one item in its state; none while a pause or cancel is on its way. */
export function itemActions(item: JobItem): JobAction[] {
  if (item.requested !== null) return [];
  return actionsFor(item.state);
}

function actionsFor(state: ItemState): JobAction[] {
  switch (state.status) {
    case "queued":
    case "running":
      return ["pause", "cancel"];
    case "paused":
      return ["resume", "cancel"];
    case "failed":
    case "cancelled":
      return ["retry"];
    case "succeeded":
      return [];
    default: {
      const never: never = state;
      return never;
    }
  }
}

export function actionLabel(action: JobAction): string {
  switch (action) {
    case "pause":
      return "Pause";
    case "resume":
      return "Resume";
    case "cancel":
      return "Cancel";
    case "retry":
      return "Retry";
    default: {
      const never: never = action;
      return never;
    }
  }
}
