import { create } from "zustand";
import type { z } from "zod";
import type {
  bundleRecordSchema,
  ExportPlan,
  ExportPlanRequest,
  ExportToPathRequest,
  importResultSchema,
  VerifyReport,
} from "../../shared/api/bundles.js";
import type { ApiEvent } from "../../shared/api/events.js";
import type { Inventory } from "../../shared/api/inventory.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

export type BundleRecord = z.infer<typeof bundleRecordSchema>;
export type ImportResult = z.infer<typeof importResultSchema>;
export type BundleProgress = Extract<ApiEvent, { type: "bundle" }>;
export type Trust = { kind: "unchecked" } | { kind: "key"; armoredKey: string };
/**
 * The bundle to verify or import: a file the browser uploads, or (in the desktop app, from its native dialog) a
 * path on this machine the server reads directly, so a multi-gigabyte bundle is not copied through the page.
 */
export type BundleSource = { kind: "upload"; file: File } | { kind: "path"; path: string };

/** A call's state as a page shows it: nothing yet, under way, its answer, or its failure in full. */
export type Outcome<T> =
  | { readonly state: "idle" }
  | { readonly state: "running" }
  | { readonly state: "done"; readonly value: T }
  | { readonly state: "failed"; readonly message: string };

const IDLE: { readonly state: "idle" } = { state: "idle" };

/**
 * The Bundles page: the history, the inventory the selection picks from, the exact size of the export being
 * composed, the latest progress from `bundle` events, and the outcomes of verify, import and write-to-path.
 */
export interface BundlesState {
  readonly history: readonly BundleRecord[] | null;
  readonly historyError: string | null;
  readonly inventory: Inventory | null;
  /** What "Export everything" would download, sized before the click. */
  readonly everything: Outcome<ExportPlan>;
  readonly plan: Outcome<ExportPlan>;
  readonly progress: BundleProgress | null;
  readonly written: Outcome<{ readonly path: string; readonly fileBytes: number }>;
  readonly verified: Outcome<VerifyReport>;
  readonly imported: Outcome<ImportResult>;
  readonly load: () => Promise<void>;
  readonly planFor: (request: ExportPlanRequest) => Promise<void>;
  readonly writeToPath: (request: ExportToPathRequest) => Promise<void>;
  readonly verify: (source: BundleSource, trustedKey: string | undefined) => Promise<void>;
  readonly importFile: (source: BundleSource, trust: Trust) => Promise<void>;
  readonly clearReceived: () => void;
}

/** The URL a browser downloads the selection's bundle from: streamed by the server, never held in memory here. */
export function downloadUrl(selection: ExportPlanRequest): string {
  return api.exportDownloadUrl({
    providers: selection.providers,
    modules: selection.modules,
    platforms: selection.platforms,
    version: selection.version,
    since: selection.since,
  });
}

/** Answers to older plan requests are dropped: only the latest selection's size is shown. */
let planRequest = 0;

export const useBundles = create<BundlesState>()((set, get) => ({
  history: null,
  historyError: null,
  inventory: null,
  everything: IDLE,
  plan: IDLE,
  progress: null,
  written: IDLE,
  verified: IDLE,
  imported: IDLE,
  load: async () => {
    try {
      const [history, inventory] = await Promise.all([api.bundles(), api.inventory()]);
      set({ history: history.bundles, inventory, historyError: null });
    } catch (error) {
      set({ historyError: messageOf(error) });
      return;
    }
    try {
      set({ everything: { state: "done", value: await api.planExport({}) } });
    } catch (error) {
      set({ everything: { state: "failed", message: messageOf(error) } });
    }
  },
  planFor: async (request) => {
    const mine = ++planRequest;
    set({ plan: { state: "running" } });
    try {
      const value = await api.planExport(request);
      if (mine === planRequest) set({ plan: { state: "done", value } });
    } catch (error) {
      if (mine === planRequest) set({ plan: { state: "failed", message: messageOf(error) } });
    }
  },
  writeToPath: async (request) => {
    set({ written: { state: "running" } });
    try {
      const result = await api.exportBundle(request);
      set({ written: { state: "done", value: { path: result.path, fileBytes: result.fileBytes } } });
    } catch (error) {
      set({ written: { state: "failed", message: messageOf(error) } });
    }
    await get().load();
  },
  verify: async (source, trustedKey) => {
    set({ verified: { state: "running" }, imported: IDLE });
    try {
      const value =
        source.kind === "upload"
          ? await api.verifyUpload(source.file, trustedKey)
          : await api.verifyBundle({
              path: source.path,
              ...(trustedKey === undefined ? {} : { trustedKey }),
            });
      set({ verified: { state: "done", value } });
    } catch (error) {
      set({ verified: { state: "failed", message: messageOf(error) } });
    }
  },
  importFile: async (source, trust) => {
    set({ imported: { state: "running" }, verified: IDLE });
    try {
      const value =
        source.kind === "upload"
          ? await api.importUpload(source.file, trust)
          : await api.importBundle({
              path: source.path,
              trust: trust.kind,
              ...(trust.kind === "key" ? { trustedKey: trust.armoredKey } : {}),
            });
      set({ imported: { state: "done", value } });
    } catch (error) {
      set({ imported: { state: "failed", message: messageOf(error) } });
    }
    await get().load();
  },
  clearReceived: () => {
    set({ verified: IDLE, imported: IDLE });
  },
}));

/** Events refetch only what a page has loaded: a window that never opened Bundles asks nothing. */
function reload(): void {
  if (useBundles.getState().history !== null) void useBundles.getState().load();
}

onApiEvent((event) => {
  if (event.type === "bundle") {
    useBundles.setState({ progress: event });
    // A finished export (a browser download included) is a new history row.
    if (event.phase === "finished" || event.phase === "failed") reload();
  } else if (event.type === "inventory" || event.type === "resync") reload();
});
