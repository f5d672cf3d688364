import { create } from "zustand";
import type { ConnectInfo, ConnectTest } from "../../shared/api/connect.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/** The Connect page: the generated CLI configs and CA trust steps, and the last connection test. */
export interface ConnectState {
  readonly info: ConnectInfo | null;
  readonly error: string | null;
  readonly test:
    | { readonly state: "idle" }
    | { readonly state: "running" }
    | { readonly state: "done"; readonly result: ConnectTest }
    | { readonly state: "failed"; readonly message: string };
  readonly load: () => Promise<void>;
  readonly runTest: () => Promise<void>;
}

export const useConnect = create<ConnectState>()((set) => ({
  info: null,
  error: null,
  test: { state: "idle" },
  load: async () => {
    try {
      set({ info: await api.connect(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  runTest: async () => {
    set({ test: { state: "running" } });
    try {
      set({ test: { state: "done", result: await api.testConnection() } });
    } catch (error) {
      set({ test: { state: "failed", message: messageOf(error) } });
    }
  },
}));

// The configs name every stored host (host mode), and upstream settings change which hosts there are.
onApiEvent((event) => {
  if (event.type !== "inventory" && event.type !== "settings" && event.type !== "resync") return;
  if (useConnect.getState().info !== null) void useConnect.getState().load();
});
