import type { ItemState, JobState } from "../core/job-state.js";
import { EventBus } from "../jobs/event-bus.js";
import { ProgressMeter } from "../jobs/progress-meter.js";
import { throttleProgress } from "../jobs/progress-throttle.js";
import { describeModule } from "./ingest-module-version.js";
import type { ModuleMirrorEvent } from "./mirror-modules.js";
import type { MirrorEvent } from "./mirror-providers.js";
import { describePackage } from "./provider-package-ref.js";

/** What the engine tells its subscribers (the CLI, the admin API's event stream, tests). */
export type LarderEvent =
  | {
      readonly kind: "progress";
      readonly run: number;
      /** The persistent job and item the event belongs to. */
      readonly job: number;
      readonly itemId: number;
      readonly item: string;
      readonly bytesDone: number;
      readonly bytesTotal: number | undefined;
      readonly bytesPerSecond: number;
      readonly etaSeconds: number | undefined;
    }
  | {
      readonly kind: "item";
      readonly run: number;
      readonly job: number;
      readonly itemId: number;
      readonly item: string;
      readonly state: "skipped" | "started" | "stored" | "failed";
      readonly message?: string;
    }
  | { readonly kind: "inventory-changed" }
  /** A remembered project was added, changed or removed. */
  | { readonly kind: "projects-changed" }
  /** A catalog refresh (CLI, admin API or the background) started, or finished with one line per source. */
  | {
      readonly kind: "catalog";
      readonly state: "started" | "finished";
      readonly registries: readonly string[];
      readonly sources: readonly CatalogSourceSummary[];
    }
  /** Settings or upstream registries changed through this engine ("upstreams" for the registries). */
  | { readonly kind: "settings-changed"; readonly keys: readonly string[] }
  /** A job's state changed (derived from its items). */
  | { readonly kind: "job"; readonly job: number; readonly state: JobState }
  /** A job item's state changed, here or (noticed by polling) through another process. */
  | {
      readonly kind: "job-item";
      readonly job: number;
      readonly itemId: number;
      readonly item: string;
      readonly state: ItemState;
    };

/** One source's outcome in a finished catalog refresh. */
export interface CatalogSourceSummary {
  readonly registry: string;
  readonly kind: "provider" | "module";
  readonly entries: number;
  readonly error: string | null;
}

/** The engine's event bus type. */
export type LarderEventBus = EventBus<LarderEvent>;

/**
 * Turns one job run's provider events into bus events: progress with rate and ETA per item, throttled to about
 * five per second for the run, and every state change at once. Each is published once, with its job and item.
 */
export function mirrorEventPublisher(
  bus: LarderEventBus,
  run: number,
  job: number,
): (event: MirrorEvent, itemId: number) => void {
  const meters = new Map<string, ProgressMeter>();
  const publish = throttleProgress<LarderEvent>(
    (event) => {
      bus.publish(event);
    },
    200,
    Date.now,
    (event) =>
      event.kind === "progress" && event.bytesTotal !== undefined && event.bytesDone >= event.bytesTotal,
  );
  return (event, itemId) => {
    const tag = { job, itemId };
    if (event.kind === "planned") return;
    const item = describePackage(event.item);
    switch (event.kind) {
      case "progress": {
        const meter = meters.get(item) ?? new ProgressMeter();
        meters.set(item, meter);
        const figures = meter.update(event.bytesDone, event.bytesTotal);
        publish({
          kind: "progress",
          run,
          ...tag,
          item,
          bytesDone: event.bytesDone,
          bytesTotal: event.bytesTotal,
          ...figures,
        });
        return;
      }
      case "failed":
        publish({ kind: "item", run, ...tag, item, state: "failed", message: event.message });
        return;
      case "stored":
        publish({ kind: "item", run, ...tag, item, state: "stored" });
        publish({ kind: "inventory-changed" });
        return;
      case "skipped":
      case "started":
        publish({ kind: "item", run, ...tag, item, state: event.kind });
        return;
    }
  };
}

/** Publishes a job run's module state changes (the providers they require are items with events of their own). */
export function moduleEventPublisher(
  bus: LarderEventBus,
  run: number,
  job: number,
): (event: ModuleMirrorEvent, itemId: number) => void {
  return (event, itemId) => {
    const tag = { job, itemId };
    switch (event.kind) {
      case "module-failed":
        bus.publish({
          kind: "item",
          run,
          ...tag,
          item: `module ${describeModule(event.module)}`,
          state: "failed",
          message: event.message,
        });
        return;
      case "module-stored":
        bus.publish({
          kind: "item",
          run,
          ...tag,
          item: `module ${describeModule(event.module)}`,
          state: "stored",
        });
        bus.publish({ kind: "inventory-changed" });
        return;
      case "module-skipped":
      case "module-started":
        bus.publish({
          kind: "item",
          run,
          ...tag,
          item: `module ${describeModule(event.module)}`,
          state: event.kind === "module-skipped" ? "skipped" : "started",
        });
        return;
    }
  };
}
