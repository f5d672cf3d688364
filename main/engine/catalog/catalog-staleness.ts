import { errorMessage } from "../../core/errors.js";
import type { CatalogRepository } from "../../db/catalog-repository.js";
import type { CatalogRefreshReport } from "./catalog-refresh.js";
import type { CatalogSource } from "./catalog-sources.js";

/**
 * The registries with a stale source: never finished, or finished more than `hours` ago. With 0 hours (no
 * background refresh) only a source never finished is stale.
 */
export function staleRegistries(
  repository: CatalogRepository,
  sources: readonly CatalogSource[],
  hours: number,
  now: Date,
): string[] {
  const stale = sources.filter((source) => {
    const finishedAt = repository.sourceState(source.registry, source.kind)?.finishedAt;
    if (finishedAt === null || finishedAt === undefined) return true;
    return hours > 0 && now.getTime() - Date.parse(finishedAt) > hours * 3_600_000;
  });
  return [...new Set(stale.map((source) => source.registry))];
}

/** How often the background refresh looks, and how soon after start it first does. */
export interface CatalogBackgroundTiming {
  /** Default 10 minutes. */
  readonly intervalMs?: number;
  /** Default 30 seconds: after start, not at it, so a starting server answers first. */
  readonly firstDelayMs?: number;
}

export interface CatalogBackgroundDependencies {
  /** The catalogRefreshHours setting now (read each time, so a change applies to the next check). */
  readonly hours: () => number;
  readonly staleRegistries: () => string[];
  readonly refresh: (registries: string[], signal: AbortSignal) => Promise<CatalogRefreshReport>;
  readonly warn: (message: string) => void;
}

/**
 * Checks now and then whether the catalog is stale and refreshes the stale registries, one refresh at a time.
 * Nothing is thrown: failures go to `warn`. Returns the function that stops it (aborting a refresh under way,
 * which the next start resumes).
 */
export function startCatalogBackgroundRefresh(
  deps: CatalogBackgroundDependencies,
  timing: CatalogBackgroundTiming = {},
): () => void {
  const controller = new AbortController();
  let running = false;
  // A function, not the property: the abort happens while a refresh awaits, which narrowing cannot see.
  const stopped = (): boolean => controller.signal.aborted;
  const check = async (): Promise<void> => {
    if (running || stopped()) return;
    running = true;
    try {
      if (deps.hours() <= 0) return;
      const registries = deps.staleRegistries();
      if (registries.length === 0) return;
      const report = await deps.refresh(registries, controller.signal);
      for (const source of report.sources) {
        if (source.error !== null) {
          deps.warn(`Catalog refresh of ${source.registry} ${source.kind}s failed: ${source.error}`);
        }
      }
    } catch (error) {
      if (!stopped()) deps.warn(`Catalog refresh failed: ${errorMessage(error)}`);
    } finally {
      running = false;
    }
  };
  const tick = (): void => {
    void check();
  };
  const first = setTimeout(tick, timing.firstDelayMs ?? 30_000);
  const timer = setInterval(tick, timing.intervalMs ?? 600_000);
  // A background chore never keeps the process alive on its own.
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    controller.abort();
  };
}
