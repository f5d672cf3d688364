import type { ItemState, JobAction, JobItem, JobSummary } from "../../../shared/api/jobs.js";

/**
 * The actions that make sense for a job: by its items' states, so the server never answers "nothing to do". The
 * items are counted when known: item events keep them current, while the summary's counts wait for a refetch.
 */
export function jobActions(job: JobSummary, items: readonly JobItem[]): JobAction[] {
  const { queued, running, paused, failed, cancelled } = items.length > 0 ? countsOf(items) : job.items;
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

function countsOf(items: readonly JobItem[]): Record<ItemState["status"], number> {
  const counts = { queued: 0, running: 0, paused: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const item of items) counts[item.state.status] += 1;
  return counts;
}
