import { create } from "zustand";
import type { ApiEvent } from "../../shared/api/events.js";
import type { JobAction, JobDetail, JobItem, JobSummary } from "../../shared/api/jobs.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/** The live rate and time left of a running item, from `progress` events (the API's item has neither). */
export interface ItemSpeed {
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | null;
}

/** Jobs and their items, kept live by `job`, `job-item` and `progress` events. */
export interface JobsState {
  /** Newest first, as `/api/jobs` lists them; null until the first load. */
  readonly jobs: readonly JobSummary[] | null;
  /** Items by job id, for every listed job (fetched with the list). */
  readonly items: Readonly<Record<number, readonly JobItem[]>>;
  /** By item id, while it runs. */
  readonly speeds: Readonly<Record<number, ItemSpeed>>;
  readonly loading: boolean;
  readonly error: string | null;
  /** The last failed control action, in full, by job id. */
  readonly actionErrors: Readonly<Record<number, string>>;
  readonly load: () => Promise<void>;
  readonly refreshJob: (id: number) => Promise<void>;
  readonly control: (id: number, action: JobAction, item?: number) => Promise<void>;
  readonly handle: (event: ApiEvent) => void;
}

/** How many of the newest jobs get their items fetched on a full load: history beyond is summaries only. */
const DETAILED = 50;

export const useJobs = create<JobsState>()((set, get) => ({
  jobs: null,
  items: {},
  speeds: {},
  loading: false,
  error: null,
  actionErrors: {},
  load: async () => {
    set({ loading: true });
    try {
      const { jobs } = await api.jobs();
      const details = await Promise.all(jobs.slice(0, DETAILED).map((job) => api.job(job.id)));
      const items: Record<number, readonly JobItem[]> = {};
      for (const detail of details) items[detail.job.id] = detail.items;
      set({ jobs, items, loading: false, error: null });
    } catch (error) {
      set({ loading: false, error: messageOf(error) });
    }
  },
  refreshJob: async (id) => {
    try {
      merge(set, get, await api.job(id));
    } catch {
      // A job that vanished or a passing fault: the next event or full load brings the list back in line.
    }
  },
  control: async (id, action, item) => {
    try {
      const answer = await api.controlJob(id, action, item);
      set({ actionErrors: without(get().actionErrors, id) });
      replaceJob(set, get, answer.job);
      await get().refreshJob(id);
    } catch (error) {
      set({ actionErrors: { ...get().actionErrors, [id]: messageOf(error) } });
    }
  },
  handle: (event) => {
    switch (event.type) {
      case "job": {
        const known = get().jobs?.find((job) => job.id === event.job);
        if (known) replaceJob(set, get, { ...known, state: event.state });
        scheduleRefresh(event.job);
        return;
      }
      case "job-item":
        // A pause or cancel asked for is done once the item leaves running.
        patchItem(set, get, event.job, event.item, (item) => ({
          ...item,
          state: event.state,
          requested: event.state.status === "running" ? item.requested : null,
        }));
        if (event.state.status !== "running") dropSpeed(set, get, event.item);
        scheduleRefresh(event.job);
        return;
      case "progress":
        patchItem(set, get, event.job, event.item, (item) => ({
          ...item,
          bytesDone: event.bytesDone,
          bytesTotal: event.bytesTotal,
        }));
        set({
          speeds: {
            ...get().speeds,
            [event.item]: { bytesPerSecond: event.bytesPerSecond, etaSeconds: event.etaSeconds },
          },
        });
        return;
      case "resync":
        void get().load();
        return;
      case "inventory":
      case "projects":
      case "settings":
      case "catalog":
      case "bundle":
      case "server":
        return;
    }
  },
}));

type Set = (partial: Partial<JobsState>) => void;
type Get = () => JobsState;

function merge(set: Set, get: Get, detail: JobDetail): void {
  const jobs = get().jobs ?? [];
  const listed = jobs.some((job) => job.id === detail.job.id);
  set({
    jobs: listed ? jobs.map((job) => (job.id === detail.job.id ? detail.job : job)) : [detail.job, ...jobs],
    items: { ...get().items, [detail.job.id]: detail.items },
  });
}

function replaceJob(set: Set, get: Get, next: JobSummary): void {
  const jobs = get().jobs;
  if (jobs) set({ jobs: jobs.map((job) => (job.id === next.id ? next : job)) });
}

function patchItem(
  set: Set,
  get: Get,
  jobId: number,
  itemId: number,
  change: (item: JobItem) => JobItem,
): void {
  const items = get().items[jobId];
  if (!items) return;
  set({
    items: { ...get().items, [jobId]: items.map((item) => (item.id === itemId ? change(item) : item)) },
  });
}

function dropSpeed(set: Set, get: Get, itemId: number): void {
  if (!(itemId in get().speeds)) return;
  set({ speeds: without(get().speeds, itemId) });
}

function without<T>(record: Readonly<Record<number, T>>, key: number): Record<number, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== String(key)));
}

/** State events come in bursts (one per item); one detail fetch per job per burst keeps counts and bytes right. */
const pending = new Map<number, ReturnType<typeof setTimeout>>();
function scheduleRefresh(id: number): void {
  if (pending.has(id)) return;
  pending.set(
    id,
    setTimeout(() => {
      pending.delete(id);
      void useJobs.getState().refreshJob(id);
    }, 200),
  );
}

onApiEvent((event) => {
  useJobs.getState().handle(event);
});
