import type { ApiEvent } from "../../../shared/api/index.js";
import type { LarderEvent } from "../../engine/larder-events.js";

/**
 * The engine's events as the admin API publishes them. Item start/stored/failed events are left out: the job-item
 * state events say the same, and also for items another process runs.
 */
export function apiEventOf(event: LarderEvent): ApiEvent | undefined {
  switch (event.kind) {
    case "progress":
      return {
        type: "progress",
        job: event.job,
        item: event.itemId,
        label: event.item,
        bytesDone: event.bytesDone,
        bytesTotal: event.bytesTotal ?? null,
        bytesPerSecond: event.bytesPerSecond,
        etaSeconds: event.etaSeconds ?? null,
      };
    case "item":
      return undefined;
    case "inventory-changed":
      return { type: "inventory" };
    case "projects-changed":
      return { type: "projects" };
    case "job":
      return { type: "job", job: event.job, state: event.state };
    case "catalog":
      return {
        type: "catalog",
        state: event.state,
        registries: [...event.registries],
        sources: event.sources.map((source) => ({ ...source })),
      };
    case "settings-changed":
      return { type: "settings", keys: [...event.keys] };
    case "job-item":
      return { type: "job-item", job: event.job, item: event.itemId, label: event.item, state: event.state };
  }
}
