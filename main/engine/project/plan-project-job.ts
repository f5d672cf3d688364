import type { RegistryClient } from "../../core/clients.js";
import { formatModuleAddress } from "../../core/module-address.js";
import type { NewJobItem } from "../../db/job-rows.js";
import type { ProjectJobRequest } from "../job-requests.js";
import { planModuleVersions, type ModuleMirrorDependencies } from "../mirror-modules.js";
import { moduleItemOf } from "../module-job-items.js";
import { planProviderPackages, type PlanDependencies } from "../plan-provider-packages.js";
import { providerItemOf } from "../provider-job-items.js";
import type { ProjectNeeds, RemoteModuleNeed } from "./project-walk.js";

/** What planning a project job reads: the registries and the mirror, and the project walk. */
export interface ProjectPlanDependencies {
  readonly providers: PlanDependencies;
  readonly modules: Pick<ModuleMirrorDependencies, "modules" | "moduleRegistry">;
  /** Walks a project, fetching git and HTTP modules that have no snapshot yet. */
  readonly walk: (dir: string, client: RegistryClient, signal?: AbortSignal) => Promise<ProjectNeeds>;
}

/** A planned project job: its items, and the git/HTTP modules init fetches itself (read, not served). */
export interface ProjectPlan {
  readonly what: string;
  readonly items: readonly NewJobItem[];
  readonly remote: readonly (RemoteModuleNeed & { readonly dir: string })[];
}

/**
 * Plans `larder mirror project`: for each project and client, every provider at the version init would pick
 * (the lock file's, else the newest upstream match of all its constraints together) for each platform, and every
 * registry module the configuration calls with its dependencies (the module items read what those call once
 * they are stored). Items shared by several projects or clients are planned once.
 */
export async function planProjectJob(
  deps: ProjectPlanDependencies,
  request: ProjectJobRequest,
  signal?: AbortSignal,
): Promise<ProjectPlan> {
  const items = new Map<string, NewJobItem>();
  const remote = new Map<string, RemoteModuleNeed & { dir: string }>();
  let providerCount = 0;
  let moduleCount = 0;
  for (const dir of request.dirs) {
    for (const client of request.clients) {
      const needs = await deps.walk(dir, client, signal);
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
      for (const call of needs.modules.filter((need) => need.calledFrom === ".")) {
        const subdir = call.subdir === "" ? "" : `//${call.subdir}`;
        const address = `${formatModuleAddress(call.address)}${subdir}`;
        const moduleRequest = {
          address,
          versions: call.constraint === undefined ? [] : [call.constraint],
          allVersions: false,
          withDependencies: true,
          platforms: [...request.platforms],
          clients: [client],
        };
        const { versions } = await planModuleVersions(deps.modules, moduleRequest, signal);
        moduleCount += 1;
        for (const version of versions) add(items, moduleItemOf(moduleRequest, version));
      }
    }
  }
  const where = request.dirs.length === 1 ? request.dirs[0] : `${request.dirs.length} projects`;
  return {
    what: `project ${where ?? ""}: ${providerCount} provider(s), ${moduleCount} module call(s) for ${request.clients.join(" and ")}`,
    items: [...items.values()],
    remote: [...remote.values()],
  };
}

/** Adds an item unless the same one (kind and reference) is planned already. */
function add(items: Map<string, NewJobItem>, item: NewJobItem): void {
  const key = `${item.kind} ${item.refJson}`;
  if (!items.has(key)) items.set(key, item);
}
