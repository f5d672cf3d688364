import { LarderError } from "../../core/errors.js";
import { normalizeHostname } from "../../core/hostname.js";
import type { CatalogRepository } from "../../db/catalog-repository.js";
import {
  refreshCatalogSource,
  type CatalogRefreshProgress,
  type CatalogSourceReport,
} from "./catalog-source-refresh.js";
import { PUBLIC_CATALOG_REGISTRIES, type CatalogSource } from "./catalog-sources.js";

export type { CatalogRefreshProgress, CatalogSourceReport } from "./catalog-source-refresh.js";

/** What `larder catalog refresh` asks for. */
export interface CatalogRefreshOptions {
  /** Registry hosts to refresh; default both public ones. */
  readonly registries?: readonly string[];
  /** Stops the refresh; what was stored stays, and the next refresh resumes after it. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: CatalogRefreshProgress) => void;
}

/** A named registry that has nothing to refresh, and why. */
export interface CatalogRefreshSkipped {
  readonly registry: string;
  readonly reason: string;
}

export interface CatalogRefreshReport {
  /** One per source refreshed, in a fixed order (terraform's providers, modules, then OpenTofu's). */
  readonly sources: readonly CatalogSourceReport[];
  /** Private registries named: they have no catalog API. */
  readonly skipped: readonly CatalogRefreshSkipped[];
}

export interface CatalogRefreshDependencies {
  readonly repository: CatalogRepository;
  readonly sources: readonly CatalogSource[];
  readonly now?: () => Date;
}

/** API hosts listed at once: each API host's sources run one after another, and at most this many hosts at once. */
const maxApiHostsAtOnce = 2;

/** Registry names as people type them; OpenTofu's API host stands for its registry. */
function registryOf(input: string): string {
  const host = normalizeHostname(input);
  return host === "api.opentofu.org" ? "registry.opentofu.org" : host;
}

/**
 * Refreshes the catalog of the named public registries. One source failing (upstream down, rate-limited past the
 * bound) is reported and recorded without stopping the others; an abort stops everything and throws.
 */
export async function refreshCatalog(
  deps: CatalogRefreshDependencies,
  options: CatalogRefreshOptions = {},
): Promise<CatalogRefreshReport> {
  const named = [...new Set((options.registries ?? PUBLIC_CATALOG_REGISTRIES).map(registryOf))];
  const skipped = named
    .filter((registry) => !deps.sources.some((source) => source.registry === registry))
    .map((registry) => ({
      registry,
      reason: `${registry} has no catalog to list (only ${PUBLIC_CATALOG_REGISTRIES.join(" and ")} offer one); its providers and modules are found by their address`,
    }));
  const sources = deps.sources.filter((source) => named.includes(source.registry));
  const context = {
    repository: deps.repository,
    now: deps.now ?? (() => new Date()),
    signal: options.signal,
    onProgress: options.onProgress,
  };
  const reports = new Map<CatalogSource, CatalogSourceReport>();
  const queues = [...new Set(sources.map((source) => source.apiHost))].map((apiHost) =>
    sources.filter((source) => source.apiHost === apiHost),
  );
  const runQueue = async (): Promise<void> => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const source of queue) {
        if (options.signal?.aborted) return;
        reports.set(source, await refreshCatalogSource(context, source));
      }
    }
  };
  const workers = Array.from({ length: Math.min(maxApiHostsAtOnce, queues.length) }, runQueue);
  // Settled, not all: an abort in one host's listing must not leave the other's running unobserved.
  const outcomes = await Promise.allSettled(workers);
  if (options.signal?.aborted) {
    throw new LarderError(
      "interrupted",
      "The catalog refresh was stopped; what it stored is kept, and the next refresh carries on from there.",
    );
  }
  const failed = outcomes.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  return { sources: sources.flatMap((source) => reports.get(source) ?? []), skipped };
}
