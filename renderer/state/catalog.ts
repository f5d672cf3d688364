import { create } from "zustand";
import type { CatalogSearchResult } from "../../shared/api/catalog.js";
import { api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

export type CatalogHit = CatalogSearchResult["results"][number];
export type CatalogLookup = CatalogSearchResult["lookedUp"][number];

/** What Browse searches for: the URL's `?q=&registry=&kind=&tier=`, so a search is linkable. */
export interface CatalogQuery {
  readonly q: string;
  readonly registry: string;
  readonly kind: "" | "provider" | "module";
  readonly tier: string;
}

/** How many hits one request brings; "Show more" asks for the next page. */
export const PAGE_SIZE = 50;

export interface CatalogRefresh {
  /** `starting`: the POST is under way; `running`: the server said "started" and works on it. */
  readonly state: "idle" | "starting" | "running";
  /** A 409, a failed start, or a source that failed in the last refresh. */
  readonly message: string | null;
}

/** Browse's search: results of the current query, the registries' refresh times, and the refresh button. */
export interface CatalogState {
  readonly query: CatalogQuery | null;
  readonly status: "idle" | "loading" | "ready" | "error";
  readonly error: string | null;
  readonly results: readonly CatalogHit[];
  readonly lookedUp: readonly CatalogLookup[];
  readonly refreshedAt: Readonly<Record<string, string | null>>;
  readonly offline: boolean;
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly refresh: CatalogRefresh;
  readonly search: (query: CatalogQuery) => Promise<void>;
  readonly showMore: () => Promise<void>;
  readonly startRefresh: () => Promise<void>;
}

// Each request takes a ticket; an answer whose ticket is not the latest is dropped, so a slow answer to "alph"
// never replaces the one to "alpha".
let ticket = 0;

function request(query: CatalogQuery, offset: number) {
  return api.searchCatalog({
    q: query.q.trim(),
    ...(query.registry === "" ? {} : { registry: [query.registry] }),
    ...(query.kind === "" ? {} : { kind: query.kind }),
    ...(query.tier === "" ? {} : { tier: query.tier }),
    limit: PAGE_SIZE,
    offset,
  });
}

export const useCatalog = create<CatalogState>()((set, get) => ({
  query: null,
  status: "idle",
  error: null,
  results: [],
  lookedUp: [],
  refreshedAt: {},
  offline: false,
  hasMore: false,
  loadingMore: false,
  refresh: { state: "idle", message: null },
  search: async (query) => {
    const mine = ++ticket;
    set({ query, status: "loading", error: null });
    try {
      const answer = await request(query, 0);
      if (mine !== ticket) return;
      set({
        status: "ready",
        results: answer.results,
        lookedUp: answer.lookedUp,
        refreshedAt: answer.refreshedAt,
        offline: answer.offline,
        hasMore: answer.results.length === PAGE_SIZE,
      });
    } catch (error) {
      if (mine !== ticket) return;
      set({ status: "error", error: messageOf(error), results: [], lookedUp: [] });
    }
  },
  showMore: async () => {
    const { query, results, loadingMore } = get();
    if (query === null || loadingMore) return;
    const mine = ticket;
    set({ loadingMore: true });
    try {
      const answer = await request(query, results.length);
      if (mine !== ticket) return;
      set({
        results: [...results, ...answer.results],
        hasMore: answer.results.length === PAGE_SIZE,
        loadingMore: false,
      });
    } catch (error) {
      if (mine !== ticket) return;
      set({ loadingMore: false, error: messageOf(error) });
    }
  },
  startRefresh: async () => {
    set({ refresh: { state: "starting", message: null } });
    try {
      await api.refreshCatalog();
      // The "started" event may already have come; either way the server is on it now.
      set({ refresh: { state: "running", message: null } });
    } catch (error) {
      set({ refresh: { state: "idle", message: messageOf(error) } });
    }
  },
}));

/** Searches again with the current query, keeping what is shown until the answer comes (no flicker). */
async function researchQuietly(): Promise<void> {
  const { query } = useCatalog.getState();
  if (query === null) return;
  const mine = ++ticket;
  try {
    const answer = await request(query, 0);
    if (mine !== ticket) return;
    useCatalog.setState({
      status: "ready",
      error: null,
      results: answer.results,
      lookedUp: answer.lookedUp,
      refreshedAt: answer.refreshedAt,
      offline: answer.offline,
      hasMore: answer.results.length === PAGE_SIZE,
    });
  } catch {
    // The results on screen stay; the next search or event tries again.
  }
}

onApiEvent((event) => {
  if (event.type === "catalog") {
    if (event.state === "started") {
      useCatalog.setState({ refresh: { state: "running", message: null } });
      return;
    }
    const failed = event.sources.filter((source) => source.error !== null);
    useCatalog.setState({
      refresh: {
        state: "idle",
        message:
          failed.length === 0
            ? null
            : `The refresh could not read ${failed
                .map((source) => `${source.registry} (${source.kind}s): ${source.error ?? ""}`)
                .join("; ")}`,
      },
    });
    void researchQuietly();
  } else if (event.type === "inventory" || event.type === "resync") {
    // Stored badges (inventory) or everything (resync) may have changed.
    void researchQuietly();
  }
});
