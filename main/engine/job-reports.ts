import { LarderError } from "../core/errors.js";
import type { JobRunResult } from "../jobs/job-runner-types.js";
import type { ModuleVersionRef } from "./ingest-module-version.js";
import type { JobObserver } from "./job-executor.js";
import type { MirrorModulesReport, ModuleMirrorEvent } from "./mirror-modules.js";
import type { MirrorEvent, MirrorReport } from "./mirror-providers.js";
import { providerRefOf } from "./provider-job-items.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

/** Throws the one-line reason when a run ended paused or cancelled (its signal aborted), saying how to continue. */
export function throwIfStopped(result: JobRunResult): void {
  const id = result.job.id;
  const done = result.items.filter((item) => item.state.status === "succeeded").length;
  const progress = `${done} of ${result.items.length} item(s) done`;
  switch (result.state.status) {
    case "paused":
      throw new LarderError(
        "interrupted",
        `Job ${id} is paused with ${progress}; the bytes received are kept. Resume it with: larder jobs resume ${id}`,
      );
    case "cancelled":
      throw new LarderError(
        "conflict",
        `Job ${id} was cancelled with ${progress}. Run its items again with: larder jobs retry ${id}`,
      );
    case "queued":
    case "running":
    case "failed":
    case "succeeded":
      return;
  }
}

/** What a module job did: its modules (dependencies included) and the provider items they added. */
export interface ModuleJobReport {
  readonly stored: readonly ModuleVersionRef[];
  readonly skipped: readonly ModuleVersionRef[];
  /** Module failures, and items that failed before their walk could report (the registry was unreachable). */
  readonly failed: readonly { readonly module: ModuleVersionRef | undefined; readonly message: string }[];
  /** The required providers' items; empty when the modules require none. */
  readonly providers: readonly MirrorReport[];
}

/**
 * Watches one job run and tells, from the job's items at the end, what it stored, found stored, and failed: the
 * summary the CLI prints and the engine's one-call use cases return. Items tell succeeded from failed; the
 * events tell a package stored now from one found already stored.
 */
export class JobReportCollector {
  private readonly storedNow = new Set<number>();
  private readonly walks = new Map<number, MirrorModulesReport>();

  constructor(
    private readonly onMirrorEvent?: (event: MirrorEvent, itemId: number) => void,
    private readonly onModuleEvent?: (event: ModuleMirrorEvent, itemId: number) => void,
  ) {}

  /** The observer to pass to `jobs.run`. */
  get observer(): JobObserver {
    return {
      onMirrorEvent: (event, itemId) => {
        if (event.kind === "stored") this.storedNow.add(itemId);
        this.onMirrorEvent?.(event, itemId);
      },
      onModuleEvent: (event, itemId) => this.onModuleEvent?.(event, itemId),
      onModuleReport: (report, itemId) => {
        this.walks.set(itemId, report);
      },
    };
  }

  /** The provider items of a run. */
  providerReport(result: JobRunResult): MirrorReport {
    const stored: ProviderPackageRef[] = [];
    const skipped: ProviderPackageRef[] = [];
    const failed: { item: ProviderPackageRef; message: string }[] = [];
    for (const item of result.items) {
      if (item.kind !== "provider-package") continue;
      const ref = providerRefOf(item);
      if (item.state.status === "failed") failed.push({ item: ref, message: item.state.reason });
      else if (item.state.status === "succeeded") (this.storedNow.has(item.id) ? stored : skipped).push(ref);
    }
    return { stored, skipped, failed };
  }

  /** The module items of a run, their walks merged, and the provider items they added. */
  moduleReport(result: JobRunResult): ModuleJobReport {
    const walks = [...this.walks.values()];
    const failed: { module: ModuleVersionRef | undefined; message: string }[] = walks.flatMap((walk) =>
      walk.failed.map((failure) => ({ module: failure.module, message: failure.message })),
    );
    for (const item of result.items)
      if (item.kind === "module-version" && item.state.status === "failed" && !this.walks.has(item.id))
        failed.push({ module: undefined, message: item.state.reason });
    const providers = this.providerReport(result);
    const hasProviderItems = providers.stored.length + providers.skipped.length + providers.failed.length > 0;
    return {
      stored: walks.flatMap((walk) => walk.stored),
      skipped: walks.flatMap((walk) => walk.skipped),
      failed,
      providers: hasProviderItems ? [providers] : [],
    };
  }
}
