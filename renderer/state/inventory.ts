import { create } from "zustand";
import type { DiskUsage, Inventory } from "../../shared/api/inventory.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/** What one delete removes: a provider version (or one platform of it), or a module version. */
export type DeleteTarget =
  | {
      readonly kind: "provider";
      readonly host: string;
      readonly namespace: string;
      readonly type: string;
      readonly version: string;
      readonly platform?: string;
    }
  | {
      readonly kind: "module";
      readonly host: string;
      readonly namespace: string;
      readonly name: string;
      readonly system: string;
      readonly version: string;
    };

export interface GcResult {
  readonly dryRun: boolean;
  readonly blobs: number;
  readonly bytes: number;
}

/** The stored inventory and disk use, refetched on `inventory` and `resync` events. */
export interface InventoryState {
  readonly inventory: Inventory | null;
  readonly usage: DiskUsage | null;
  readonly error: string | null;
  readonly load: () => Promise<void>;
  /** Resolves to null on success, or the reason in full. */
  readonly remove: (target: DeleteTarget) => Promise<string | null>;
  /** A dry run reports what collecting would free; a real run frees it. Throws the reason as a message. */
  readonly collectGarbage: (dryRun: boolean) => Promise<GcResult>;
}

export const useInventory = create<InventoryState>()((set, get) => ({
  inventory: null,
  usage: null,
  error: null,
  load: async () => {
    try {
      const [inventory, usage] = await Promise.all([api.inventory(), api.diskUsage()]);
      set({ inventory, usage, error: null });
    } catch (error) {
      set({ error: messageOf(error) });
    }
  },
  remove: async (target) => {
    try {
      if (target.kind === "provider") {
        const { host, namespace, type, version, platform } = target;
        await api.deleteProvider({ host, namespace, type, version, ...(platform ? { platform } : {}) });
      } else {
        const { host, namespace, name, system, version } = target;
        await api.deleteModule({ host, namespace, name, system, version });
      }
      await get().load();
      return null;
    } catch (error) {
      return messageOf(error);
    }
  },
  collectGarbage: async (dryRun) => {
    try {
      const result = await api.collectGarbage(dryRun);
      if (!dryRun) await get().load();
      return result;
    } catch (error) {
      throw new Error(messageOf(error));
    }
  },
}));

onApiEvent((event) => {
  if (event.type === "inventory" || event.type === "resync") void useInventory.getState().load();
});
