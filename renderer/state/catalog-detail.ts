import { create } from "zustand";
import type { CatalogModule, CatalogProvider, CatalogProviderSizes } from "../../shared/api/catalog.js";
import type { Inventory } from "../../shared/api/inventory.js";
import type { StartJobRequest } from "../../shared/api/jobs.js";
import { AdminApiError, api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/** What a detail page asked for: the address, and the constraint to highlight (and a module's docs version). */
export interface ProviderParams {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly constraint: string;
}
export interface ModuleParams {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
  readonly constraint: string;
  readonly version: string;
}

/** One detail as loaded: the last good answer stays while a new constraint or version is asked. */
export interface Loaded<T, P> {
  readonly params: P;
  readonly data: T | null;
  readonly status: "loading" | "ready" | "error";
  readonly error: string | null;
  /** The server's word on a constraint it cannot parse (a 400 on `query.constraint`), shown by the input. */
  readonly constraintError: string | null;
}

export interface MirrorStart {
  /** The address the job is for, so a page for another address shows no stale "started". */
  readonly address: string;
  readonly state: "starting" | "started" | "failed";
  readonly jobId: number | null;
  readonly error: string | null;
}

/** A size estimate of the ticked versions × platforms; `key` names the selection it is for. */
export interface SizeEstimate {
  readonly key: string;
  readonly sizes: CatalogProviderSizes | null;
}

/** The selection a size estimate is for: address, versions and platforms, order-free. */
export function selectionKey(
  address: string,
  versions: Iterable<string>,
  platforms: Iterable<string>,
): string {
  return JSON.stringify([address, [...versions].sort(), [...platforms].sort()]);
}

/** Provider and module detail pages: their catalog answers, the inventory they join, and Mirror. */
export interface CatalogDetailState {
  readonly provider: Loaded<CatalogProvider, ProviderParams> | null;
  readonly module: Loaded<CatalogModule, ModuleParams> | null;
  /** The inventory, for signed/unsigned and the lock-file hashes of stored versions. */
  readonly inventory: Inventory | null;
  readonly mirror: MirrorStart | null;
  readonly estimate: SizeEstimate | null;
  readonly loadProvider: (params: ProviderParams) => Promise<void>;
  readonly loadModule: (params: ModuleParams) => Promise<void>;
  readonly loadInventory: () => Promise<void>;
  readonly startMirror: (request: StartJobRequest) => Promise<void>;
  /** Asks the registry (bounded, cached by the server) what the ticked packages weigh. */
  readonly estimateSizes: (params: ProviderParams, versions: string[], platforms: string[]) => Promise<void>;
}

/** Whether a failure is the server refusing the constraint, and its message. */
function constraintProblem(error: unknown): string | null {
  if (!(error instanceof AdminApiError) || error.status !== 400) return null;
  const field = error.fields.find((entry) => entry.path === "query.constraint");
  return field ? field.message : null;
}

const sameAddress = (a: ProviderParams | ModuleParams, b: ProviderParams | ModuleParams): boolean =>
  JSON.stringify([a.host, a.namespace, "type" in a ? a.type : a.name]) ===
  JSON.stringify([b.host, b.namespace, "type" in b ? b.type : b.name]);

// The latest request of each kind wins; a slower earlier answer is dropped.
let providerTicket = 0;
let moduleTicket = 0;

export const useCatalogDetail = create<CatalogDetailState>()((set, get) => ({
  provider: null,
  module: null,
  inventory: null,
  mirror: null,
  estimate: null,
  loadProvider: async (params) => {
    const mine = ++providerTicket;
    const previous = get().provider;
    const keep = previous !== null && sameAddress(previous.params, params) ? previous.data : null;
    set({ provider: { params, data: keep, status: "loading", error: null, constraintError: null } });
    try {
      const query = params.constraint.trim() === "" ? {} : { constraint: params.constraint.trim() };
      const data = await api.catalogProvider(params.host, params.namespace, params.type, query);
      if (mine !== providerTicket) return;
      set({ provider: { params, data, status: "ready", error: null, constraintError: null } });
    } catch (error) {
      if (mine !== providerTicket) return;
      const constraintError = constraintProblem(error);
      set({
        provider:
          constraintError !== null && keep !== null
            ? { params, data: keep, status: "ready", error: null, constraintError }
            : { params, data: keep, status: "error", error: messageOf(error), constraintError },
      });
    }
  },
  loadModule: async (params) => {
    const mine = ++moduleTicket;
    const previous = get().module;
    const keep = previous !== null && sameAddress(previous.params, params) ? previous.data : null;
    set({ module: { params, data: keep, status: "loading", error: null, constraintError: null } });
    try {
      const data = await api.catalogModule(params.host, params.namespace, params.name, params.system, {
        ...(params.constraint.trim() === "" ? {} : { constraint: params.constraint.trim() }),
        ...(params.version === "" ? {} : { version: params.version }),
      });
      if (mine !== moduleTicket) return;
      set({ module: { params, data, status: "ready", error: null, constraintError: null } });
    } catch (error) {
      if (mine !== moduleTicket) return;
      const constraintError = constraintProblem(error);
      set({
        module:
          constraintError !== null && keep !== null
            ? { params, data: keep, status: "ready", error: null, constraintError }
            : { params, data: keep, status: "error", error: messageOf(error), constraintError },
      });
    }
  },
  loadInventory: async () => {
    try {
      set({ inventory: await api.inventory() });
    } catch {
      // Without it the matrix still shows what the catalog says is stored; only signed/hashes are missing.
    }
  },
  startMirror: async (request) => {
    set({ mirror: { address: request.address, state: "starting", jobId: null, error: null } });
    try {
      const { id } = await api.startJob(request);
      set({ mirror: { address: request.address, state: "started", jobId: id, error: null } });
    } catch (error) {
      set({ mirror: { address: request.address, state: "failed", jobId: null, error: messageOf(error) } });
    }
  },
  estimateSizes: async (params, versions, platforms) => {
    const key = selectionKey(`${params.host}/${params.namespace}/${params.type}`, versions, platforms);
    if (get().estimate?.key === key) return;
    set({ estimate: { key, sizes: null } });
    try {
      const sizes = await api.catalogProviderSizes(params.host, params.namespace, params.type, {
        versions,
        platforms,
      });
      if (get().estimate?.key === key) set({ estimate: { key, sizes } });
    } catch {
      // No estimate: the summary says the size is unknown, which is true.
    }
  },
}));

/** Asks again for what the open detail pages show, keeping it on screen meanwhile. */
function reloadOpen(): void {
  const { provider, module, loadProvider, loadModule, loadInventory } = useCatalogDetail.getState();
  void loadInventory();
  if (provider !== null) void loadProvider(provider.params);
  if (module !== null) void loadModule(module.params);
}

onApiEvent((event) => {
  if (event.type === "inventory" || event.type === "resync") reloadOpen();
});
