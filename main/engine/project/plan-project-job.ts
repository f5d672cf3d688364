import type { RegistryClient } from "../../core/clients.js";
import { errorMessage } from "../../core/errors.js";
import { formatModuleAddress } from "../../core/module-address.js";
import type { NewJobItem } from "../../db/job-rows.js";
import type { ProjectJobRequest } from "../job-requests.js";
import { mirrorModules, type ModuleMirrorDependencies, type ModuleMirrorEvent } from "../mirror-modules.js";
import { moduleItemOf } from "../module-job-items.js";
import { planProviderPackages, type PlanDependencies } from "../plan-provider-packages.js";
import { providerItemOf } from "../provider-job-items.js";
import type { ModuleNeed, ProjectNeeds, RemoteModuleNeed } from "./project-walk.js";

/** What planning a project job reads and stores: the registries, the mirror, and the project walk. */
export interface ProjectPlanDependencies {
  readonly providers: PlanDependencies;
  readonly modules: ModuleMirrorDependencies;
  /** Walks a project, fetching git and HTTP modules that have no snapshot yet. */
  readonly walk: (dir: string, client: RegistryClient, signal?: AbortSignal) => Promise<ProjectNeeds>;
}

/** What happened to the registry modules while planning: they are stored first, so what they need is known. */
export interface ProjectModuleReport {
  readonly stored: readonly string[];
  readonly present: readonly string[];
  readonly failed: readonly { readonly module: string; readonly message: string }[];
}

/** A planned project job: its items, the git/HTTP modules init fetches itself, and the modules stored meanwhile. */
export interface ProjectPlan {
  readonly what: string;
  readonly items: readonly NewJobItem[];
  readonly remote: readonly (RemoteModuleNeed & { readonly dir: string })[];
  readonly modules: ProjectModuleReport;
}

/** How many times the walk may find registry modules it has not seen before it gives up (a module cycle). */
const MAX_ROUNDS = 20;

/**
 * Plans `larder mirror project` in two steps, because what a project needs is only known once its modules are read.
 *
 * 1. Registry modules first: the project is walked, every registry module call (from the root, a local module, a
 *    stored registry module or a git/HTTP module) that the mirror cannot serve is stored with the modules it calls,
 *    and the walk repeats until nothing new turns up.
 * 2. Then providers, once, from the whole tree: each at the version `init` would pick — the lock file's, else the
 *    newest upstream match of every constraint on it ANDed — for each platform. A module's own constraints alone
 *    never pick a version (they would mirror versions the lock file rules out).
 *
 * The job's items are the providers and, as a record, every registry module (already present when the job runs;
 * a module that failed is a failed item with its reason). Items shared by several projects or clients are planned
 * once.
 */
export async function planProjectJob(
  deps: ProjectPlanDependencies,
  request: ProjectJobRequest,
  signal?: AbortSignal,
  onModuleEvent: (event: ModuleMirrorEvent) => void = () => undefined,
): Promise<ProjectPlan> {
  const items = new Map<string, NewJobItem>();
  const remote = new Map<string, RemoteModuleNeed & { dir: string }>();
  const moduleReport = {
    stored: new Set<string>(),
    present: new Set<string>(),
    failed: new Map<string, string>(),
  };
  let providerCount = 0;
  let moduleCount = 0;
  for (const dir of request.dirs) {
    for (const client of request.clients) {
      const needs = await storeModules(deps, dir, client, request, moduleReport, signal, onModuleEvent);
      for (const entry of needs.remote) remote.set(`${dir}\0${entry.source}`, { ...entry, dir });
      for (const need of needs.providers) {
        const versions = need.locked
          ? [need.locked.version]
          : need.constraints.length > 0
            ? [need.constraints.join(", ")]
            : [];
        const planned = await planProviderPackages(
          deps.providers,
          { address: need.address, versions, platforms: request.platforms },
          signal,
        );
        providerCount += 1;
        for (const entry of planned) add(items, providerItemOf(entry));
      }
      for (const need of needs.modules) {
        moduleCount += 1;
        const address = addressOf(need);
        const item = (version: string): NewJobItem =>
          moduleItemOf(
            {
              address,
              versions: [version],
              allVersions: false,
              withDependencies: false,
              platforms: [...request.platforms],
              clients: [client],
            },
            version,
          );
        if (need.stored !== undefined) add(items, item(need.stored));
        else {
          const failure = moduleReport.failed.get(formatModuleAddress(need.address).toLowerCase());
          add(items, {
            ...item(need.constraint ?? "(newest)"),
            failedReason:
              failure ?? `no version of ${address} matching "${need.constraint ?? ""}" could be stored`,
          });
        }
      }
    }
  }
  const where = request.dirs.length === 1 ? request.dirs[0] : `${request.dirs.length} projects`;
  return {
    what: `project ${where ?? ""}: ${providerCount} provider(s), ${moduleCount} module call(s) for ${request.clients.join(" and ")}`,
    items: [...items.values()],
    remote: [...remote.values()],
    modules: {
      stored: [...moduleReport.stored],
      present: [...moduleReport.present],
      failed: [...moduleReport.failed].map(([module, message]) => ({ module, message })),
    },
  };
}

/** Stores every registry module the project calls that the mirror lacks; answers the walk of the complete tree. */
async function storeModules(
  deps: ProjectPlanDependencies,
  dir: string,
  client: RegistryClient,
  request: ProjectJobRequest,
  report: { stored: Set<string>; present: Set<string>; failed: Map<string, string> },
  signal: AbortSignal | undefined,
  onModuleEvent: (event: ModuleMirrorEvent) => void,
): Promise<ProjectNeeds> {
  const attempted = new Set<string>();
  for (let round = 0; ; round += 1) {
    const needs = await deps.walk(dir, client, signal);
    for (const need of needs.modules)
      if (need.stored !== undefined)
        report.present.add(`${formatModuleAddress(need.address)} ${need.stored}`);
    const missing = needs.modules.filter(
      (need) =>
        need.stored === undefined &&
        !attempted.has(`${addressOf(need).toLowerCase()}@${need.constraint ?? ""}`),
    );
    if (missing.length === 0 || round >= MAX_ROUNDS) return needs;
    for (const need of missing) {
      const address = addressOf(need);
      attempted.add(`${address.toLowerCase()}@${need.constraint ?? ""}`);
      try {
        const result = await mirrorModules(
          deps.modules,
          {
            address,
            versions: need.constraint === undefined ? [] : [need.constraint],
            withDependencies: true,
            platforms: [...request.platforms],
            clients: [client],
          },
          (event) => {
            const name = `${formatModuleAddress(event.module.address)} ${event.module.version}`;
            if (event.kind === "module-stored") report.stored.add(name);
            onModuleEvent(event);
          },
          signal,
        );
        for (const failure of result.failed)
          report.failed.set(formatModuleAddress(failure.module.address).toLowerCase(), failure.message);
      } catch (error) {
        signal?.throwIfAborted();
        report.failed.set(formatModuleAddress(need.address).toLowerCase(), errorMessage(error));
      }
    }
  }
}

/** A module need's address with its `//subdir`. */
function addressOf(need: ModuleNeed): string {
  return `${formatModuleAddress(need.address)}${need.subdir === "" ? "" : `//${need.subdir}`}`;
}

/** Adds an item unless the same one (kind and reference) is planned already. */
function add(items: Map<string, NewJobItem>, item: NewJobItem): void {
  const key = `${item.kind} ${item.refJson}`;
  if (!items.has(key)) items.set(key, item);
}
