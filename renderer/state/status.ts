import { create } from "zustand";
import type { Status } from "../../shared/api/status.js";
import { api, messageOf } from "../api/client.js";

/** `/api/status`: version, listeners, mode, counts and disk use, refetched when events say they changed. */
export interface StatusState {
  readonly status: Status | null;
  readonly error: string | null;
  readonly load: () => Promise<void>;
}

export const useStatus = create<StatusState>()((set) => ({
  status: null,
  error: null,
  load: async () => {
    try {
      set({ status: await api.status(), error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
}));
