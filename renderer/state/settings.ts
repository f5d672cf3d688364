import { create } from "zustand";
import type {
  Settings,
  SettingsUpdate,
  UpstreamCheckResult,
  UpstreamUpdate,
} from "../../shared/api/settings.js";
import { AdminApiError, api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/** Field path → message, from a 400's `fields`, so each message shows next to its input. */
export type FieldErrors = Readonly<Record<string, string>>;

function fieldsOf(error: unknown): FieldErrors {
  if (!(error instanceof AdminApiError)) return {};
  return Object.fromEntries(error.fields.map((field) => [field.path, field.message]));
}

/** The outcome of one save: under way, saved (when), or refused with a message and the fields it names. */
export type SaveState =
  | { readonly state: "idle" }
  | { readonly state: "saving" }
  | { readonly state: "saved"; readonly at: number }
  | { readonly state: "failed"; readonly message: string; readonly fields: FieldErrors };

/** A registry test: under way, answered (which may say the registry failed), or the request itself failed. */
export type UpstreamCheckState =
  | { readonly state: "running" }
  | { readonly state: "done"; readonly result: UpstreamCheckResult }
  | { readonly state: "failed"; readonly message: string };

/** The Settings page: what `larder config` and `larder upstream` change, refetched when a `settings` event says. */
export interface SettingsState {
  readonly settings: Settings | null;
  readonly error: string | null;
  readonly save: SaveState;
  readonly upstreamSave: SaveState;
  readonly load: () => Promise<void>;
  readonly update: (update: SettingsUpdate) => Promise<void>;
  readonly setUpstream: (host: string, update: UpstreamUpdate) => Promise<boolean>;
  readonly removeUpstream: (host: string) => Promise<void>;
  /** The last test of each registry host, by host. */
  readonly upstreamChecks: Readonly<Record<string, UpstreamCheckState>>;
  readonly testUpstream: (host: string) => Promise<void>;
}

function failed(error: unknown): SaveState {
  return { state: "failed", message: messageOf(error), fields: fieldsOf(error) };
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: null,
  error: null,
  save: { state: "idle" },
  upstreamSave: { state: "idle" },
  upstreamChecks: {},
  load: async () => {
    try {
      set({ settings: await api.settings(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  update: async (update) => {
    set({ save: { state: "saving" } });
    try {
      set({ settings: await api.updateSettings(update), save: { state: "saved", at: Date.now() } });
    } catch (error) {
      set({ save: failed(error) });
    }
  },
  setUpstream: async (host, update) => {
    set({ upstreamSave: { state: "saving" } });
    try {
      set({
        settings: await api.setUpstream(host, update),
        upstreamSave: { state: "saved", at: Date.now() },
      });
      return true;
    } catch (error) {
      set({ upstreamSave: failed(error) });
      return false;
    }
  },
  removeUpstream: async (host) => {
    try {
      set({ settings: await api.removeUpstream(host), upstreamSave: { state: "idle" } });
    } catch (error) {
      set({ upstreamSave: failed(error) });
    }
  },
  testUpstream: async (host) => {
    const put = (check: UpstreamCheckState): void => {
      set((state) => ({ upstreamChecks: { ...state.upstreamChecks, [host]: check } }));
    };
    put({ state: "running" });
    try {
      put({ state: "done", result: await api.testUpstream(host) });
    } catch (error) {
      put({ state: "failed", message: messageOf(error) });
    }
  },
}));

onApiEvent((event) => {
  if (event.type !== "settings" && event.type !== "resync") return;
  if (useSettings.getState().settings !== null) void useSettings.getState().load();
});
