import type { RegistryClient } from "../core/clients.js";
import { codeOf, errorMessage, LarderError } from "../core/errors.js";
import { parseModuleAddress } from "../core/module-address.js";
import type { JobItemRecord } from "../db/job-rows.js";
import type { ItemContext, ItemExecutor, ItemOutcome } from "../jobs/job-runner-types.js";
import { describeModule } from "./ingest-module-version.js";
import { ingestProviderPackage } from "./ingest-provider-package.js";
import { moduleItemRefSchema, parseStored } from "./job-requests.js";
import {
  mirrorModules,
  type MirrorModulesReport,
  type ModuleMirrorDependencies,
  type ModuleMirrorEvent,
} from "./mirror-modules.js";
import type { MirrorDependencies, MirrorEvent } from "./mirror-providers.js";
import { planProviderPackages } from "./plan-provider-packages.js";
import { providerItemOf, providerRefOf } from "./provider-job-items.js";
import type { ProviderPackageRef } from "./provider-package-ref.js";

/** Who watches one run of a job: the CLI's progress display, the event bus publishers. */
export interface JobObserver {
  readonly onMirrorEvent?: (event: MirrorEvent, itemId: number) => void;
  readonly onModuleEvent?: (event: ModuleMirrorEvent, itemId: number) => void;
  /** The report of each module item's tree walk, for the CLI's summary. */
  readonly onModuleReport?: (report: MirrorModulesReport, itemId: number) => void;
}

/** What the executor works with: the ingest dependencies, and whose hosts old module items resolve for. */
export interface ExecutorDependencies {
  readonly providers: MirrorDependencies;
  readonly modules: ModuleMirrorDependencies;
  /** For module items stored before items named their clients: the `clients` setting. */
  readonly defaultClients: readonly RegistryClient[];
}

/**
 * The executor the job runner calls for each item: ingest a provider package, or mirror a module version and queue
 * the providers it requires as items of the same job. This is the only place an item's work is decided: the
 * "already stored?" check for a package is here (and, against a concurrent process, inside the ingest's
 * transaction), so every path — `larder mirror`, `jobs resume|retry`, pull-through, the admin API — behaves alike.
 */
export function createItemExecutor(deps: ExecutorDependencies, observer: JobObserver): ItemExecutor {
  return (item, context) => {
    switch (item.kind) {
      case "provider-package":
        return runProviderItem(deps.providers, item.id, providerRefOf(item), context, observer);
      case "module-version":
        return runModuleItem(deps, item, context, observer);
    }
  };
}

async function runProviderItem(
  deps: MirrorDependencies,
  itemId: number,
  ref: ProviderPackageRef,
  context: ItemContext,
  observer: JobObserver,
): Promise<ItemOutcome> {
  const emit = (event: MirrorEvent): void => observer.onMirrorEvent?.(event, itemId);
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
    if (!context.signal.aborted)
      emit({ kind: "failed", item: ref, message: errorMessage(error), ...codeOf(error) });
    throw error;
  }
}

/**
 * Mirrors one module version's tree (the module, the registry modules it calls), then plans the providers the tree
 * requires and adds them to the job: they run as items of their own, under the same worker limits and controls.
 */
async function runModuleItem(
  deps: ExecutorDependencies,
  item: JobItemRecord,
  context: ItemContext,
  observer: JobObserver,
): Promise<ItemOutcome> {
  const ref = parseStored(moduleItemRefSchema, item.refJson, `item ${item.id}`);
  const report = await mirrorModules(
    deps.modules,
    {
      address: ref.address,
      versions: [ref.version],
      withDependencies: ref.withDependencies,
      platforms: ref.platforms,
      clients: ref.clients ?? deps.defaultClients,
    },
    (event) => observer.onModuleEvent?.(event, item.id),
    context.signal,
  );
  context.signal.throwIfAborted();
  // The requested module is the first the walk handles; dependencies follow it.
  const top = report.stored[0] ?? report.skipped[0];
  const failed = [...report.failed];
  for (const selection of report.providers) {
    try {
      const planned = await planProviderPackages(deps.providers, selection, context.signal);
      context.addItems(planned.map(providerItemOf));
    } catch (error) {
      context.signal.throwIfAborted();
      const by = top ? ` by module ${describeModule(top)}` : "";
      failed.push({
        module: top ?? { address: parseModuleAddress(ref.address).address, version: ref.version },
        message: `Provider ${selection.address} required${by}: ${errorMessage(error)}`,
      });
    }
  }
  observer.onModuleReport?.({ ...report, failed }, item.id);
  const [first] = failed;
  if (first !== undefined) {
    throw new LarderError(
      "verification_failed",
      failed.length === 1 ? first.message : `${failed.length} parts failed; the first: ${first.message}`,
    );
  }
  const record = top && deps.modules.modules.find({ ...top.address, version: top.version });
  return { kind: report.stored.length > 0 ? "stored" : "already-stored", bytes: record?.size ?? 0 };
}
