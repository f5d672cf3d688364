import { create } from "zustand";
import { z } from "zod";
import { auditActorSchema, type AuditEntry } from "../../shared/api/audit.js";
import type { ApiEvent } from "../../shared/api/events.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

export type AuditActor = z.infer<typeof auditActorSchema>;
export const AUDIT_ACTORS: readonly AuditActor[] = auditActorSchema.options;

export interface ActivityFilters {
  readonly actor: AuditActor | null;
  readonly action: string;
}

const PAGE = 50;

/** The Activity page: the audit log newest first, filtered, a page at a time ("load older"). */
export interface ActivityState {
  readonly entries: readonly AuditEntry[] | null;
  readonly nextBefore: number | null;
  readonly filters: ActivityFilters;
  readonly loading: boolean;
  readonly error: string | null;
  /** The first page under `filters` (replacing what is shown). */
  readonly load: (filters?: ActivityFilters) => Promise<void>;
  readonly loadOlder: () => Promise<void>;
}

function queryOf(filters: ActivityFilters, before?: number) {
  return {
    limit: PAGE,
    before,
    actor: filters.actor ?? undefined,
    action: filters.action.trim() === "" ? undefined : filters.action.trim(),
  };
}

export const useActivity = create<ActivityState>()((set, get) => ({
  entries: null,
  nextBefore: null,
  filters: { actor: null, action: "" },
  loading: false,
  error: null,
  load: async (filters = get().filters) => {
    set({ loading: true, filters });
    try {
      const page = await api.audit(queryOf(filters));
      // A slower answer for filters since replaced is dropped.
      if (get().filters !== filters) return;
      set({ entries: page.entries, nextBefore: page.nextBefore, error: null, loading: false });
    } catch (error) {
      set({ error: messageOf(error), loading: false });
    }
  },
  loadOlder: async () => {
    const { nextBefore, filters, entries } = get();
    if (nextBefore === null) return;
    set({ loading: true });
    try {
      const page = await api.audit(queryOf(filters, nextBefore));
      set({
        entries: [...(entries ?? []), ...page.entries],
        nextBefore: page.nextBefore,
        error: null,
        loading: false,
      });
    } catch (error) {
      set({ error: messageOf(error), loading: false });
    }
  },
}));

/** Events that follow audited changes; there is no audit event of its own. */
function followsChange(event: ApiEvent): boolean {
  switch (event.type) {
    case "settings":
    case "inventory":
    case "projects":
    case "resync":
      return true;
    case "bundle":
      return event.phase === "finished" || event.phase === "failed";
    case "catalog":
    case "job":
    case "job-item":
    case "progress":
    case "server":
      return false;
  }
}

// The first page is read again after a change, unless a person paged back: their place is kept.
onApiEvent((event) => {
  const { entries } = useActivity.getState();
  if (!followsChange(event) || entries === null || entries.length > PAGE) return;
  void useActivity.getState().load();
});
