import { create } from "zustand";
import type { ConnectionChange } from "../api/events.js";

/** The event connection as the UI shows it: the "connection lost — reconnecting" banner reads this. */
export interface ConnectionState {
  readonly state: "connecting" | "open" | "lost" | "unauthorized";
  /** When the next attempt is due (ms since epoch), while lost. */
  readonly retryAt: number | null;
  readonly attempt: number;
  /** The server's version from its greeting. */
  readonly serverVersion: string | null;
  readonly changed: (change: ConnectionChange) => void;
  readonly greeted: (version: string) => void;
}

export const useConnection = create<ConnectionState>()((set) => ({
  state: "connecting",
  retryAt: null,
  attempt: 0,
  serverVersion: null,
  changed: (change) => {
    switch (change.state) {
      case "open":
        set({ state: "open", retryAt: null, attempt: 0 });
        return;
      case "lost":
        set({ state: "lost", retryAt: Date.now() + change.retryInMs, attempt: change.attempt });
        return;
      case "unauthorized":
        set({ state: "unauthorized", retryAt: null });
        return;
    }
  },
  greeted: (version) => {
    set({ serverVersion: version });
  },
}));
