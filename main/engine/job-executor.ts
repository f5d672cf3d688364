import { errorMessage, LarderError } from "../core/errors.js";
import type { JobItemRecord } from "../db/job-rows.js";
import type { ItemContext, ItemExecutor, ItemOutcome } from "../jobs/job-runner-types.js";
import { ingestProviderPackage } from "./ingest-provider-package.js";
import { moduleItemRefSchema, parseStored, providerItemRefSchema } from "./job-requests.js";
import {
  mirrorModules,
  type MirrorModulesReport,
  type ModuleMirrorDependencies,
  type ModuleMirrorEvent,
} from "./mirror-modules.js";
import type { MirrorDependencies, MirrorEvent } from "./mirror-providers.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

/** Who watches one run of a job: the CLI's progress display, the event bus publishers. */
export interface JobObserver {
  readonly onMirrorEvent?: (event: MirrorEvent) => void;
  readonly onModuleEvent?: (event: ModuleMirrorEvent) => void;
  /** The report of each module item (its dependencies included), for the CLI's summary. */
  readonly onModuleReport?: (report: MirrorModulesReport, itemId: number) => void;
}

/** A provider item's stored reference as the engine's package reference. */
export function providerRefOf(item: JobItemRecord): ProviderPackageRef {
  const ref = parseStored(providerItemRefSchema, item.refJson, `item ${item.id}`);
  return {
    address: { host: ref.host, namespace: ref.namespace, type: ref.type },
    version: ref.version,
    platform: { os: ref.os, arch: ref.arch },
  };
}

/** The executor the job runner calls for each item: ingest a provider package, or mirror a module version. */
export function createItemExecutor(
  providerDeps: MirrorDependencies,
  moduleDeps: ModuleMirrorDependencies,
  observer: JobObserver,
): ItemExecutor {
  return (item, context) => {
    switch (item.kind) {
      case "provider-package":
        return runProviderItem(providerDeps, providerRefOf(item), context, observer);
      case "module-version":
        return runModuleItem(moduleDeps, item, context, observer);
    }
  };
}

async function runProviderItem(
  deps: MirrorDependencies,
  ref: ProviderPackageRef,
  context: ItemContext,
  observer: JobObserver,
): Promise<ItemOutcome> {
  const emit = (event: MirrorEvent): void => observer.onMirrorEvent?.(event);
  const existing = deps.providers.findPackage(
    { ...ref.address, version: ref.version },
    ref.platform.os,
    ref.platform.arch,
  );
  if (existing) {
    emit({ kind: "skipped", item: ref });
    return { kind: "already-stored", bytes: existing.size };
  }
  emit({ kind: "started", item: ref });
  try {
    const pkg = await ingestProviderPackage(
      deps,
      ref,
      (bytesDone, bytesTotal) => {
        emit({ kind: "progress", item: ref, bytesDone, bytesTotal });
        context.onProgress(bytesDone, bytesTotal);
      },
      context.signal,
    );
    emit({ kind: "stored", item: ref, size: pkg.size, signed: pkg.signed });
    return { kind: "stored", bytes: pkg.size };
  } catch (error) {
    // A pause or cancel is not a failure: the runner records it, the CLI says so once.
    if (!context.signal.aborted) emit({ kind: "failed", item: ref, message: errorMessage(error) });
    throw error;
  }
}

async function runModuleItem(
  deps: ModuleMirrorDependencies,
  item: JobItemRecord,
  context: ItemContext,
  observer: JobObserver,
): Promise<ItemOutcome> {
  const ref = parseStored(moduleItemRefSchema, item.refJson, `item ${item.id}`);
  const report = await mirrorModules(
    deps,
    {
      address: ref.address,
      versions: [ref.version],
      withDependencies: ref.withDependencies,
      platforms: ref.platforms,
    },
    (event) => {
      observer.onModuleEvent?.(event);
      if (event.kind === "provider" && event.event.kind === "progress")
        context.onProgress(event.event.bytesDone, event.event.bytesTotal);
    },
    context.signal,
  );
  context.signal.throwIfAborted();
  observer.onModuleReport?.(report, item.id);
  const failures = [
    ...report.failed.map((failure) => failure.message),
    ...report.providers.flatMap((entry) => entry.failed.map((failure) => failure.message)),
  ];
  const [first] = failures;
  if (first !== undefined) {
    throw new LarderError(
      "verification_failed",
      failures.length === 1 ? first : `${failures.length} parts failed; the first: ${first}`,
    );
  }
  const stored = report.stored.length + report.providers.reduce((sum, entry) => sum + entry.stored.length, 0);
  // The requested module is the first the run handles; dependencies follow it.
  const top = report.stored[0] ?? report.skipped[0];
  const record = top && deps.modules.find({ ...top.address, version: top.version });
  return { kind: stored > 0 ? "stored" : "already-stored", bytes: record?.size ?? 0 };
}
