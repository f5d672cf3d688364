import { LarderError } from "../../core/errors.js";
import type { CatalogRepository } from "../../db/catalog-repository.js";
import type { LarderEvent } from "../larder-events.js";
import type { UpstreamHttpClient } from "../../upstream/http-client.js";
import { OpenTofuCatalogClient } from "../../upstream/catalog/opentofu-catalog-client.js";
import { TerraformCatalogClient } from "../../upstream/catalog/terraform-catalog-client.js";
import type { UpstreamResolver } from "../../upstream/service-discovery.js";
import { refreshCatalog, type CatalogRefreshOptions, type CatalogRefreshReport } from "./catalog-refresh.js";
import { publicCatalogSources, type CatalogSource } from "./catalog-sources.js";
import {
  staleRegistries,
  startCatalogBackgroundRefresh,
  type CatalogBackgroundTiming,
} from "./catalog-staleness.js";

export interface CatalogRefresherOptions {
  readonly repository: CatalogRepository;
  readonly http: UpstreamHttpClient;
  /** The resolver the registry clients use, so `--upstream` and `larder upstream` redirect catalogs too. */
  readonly upstreams: UpstreamResolver;
  readonly warn: (message: string) => void;
  /** The catalogRefreshHours setting in effect. */
  readonly refreshHours: () => number;
  /** Where "catalog" events go (the engine's bus), so the UI learns of refreshes from any caller. */
  readonly publish: (event: LarderEvent) => void;
}

/** The catalog's refresh, staleness and background refresh, composed once by the engine. */
export class CatalogRefresher {
  private readonly sources: readonly CatalogSource[];
  private running = false;

  constructor(private readonly options: CatalogRefresherOptions) {
    const clientOptions = { upstreams: options.upstreams, warn: options.warn };
    this.sources = publicCatalogSources(
      new TerraformCatalogClient(options.http, clientOptions),
      new OpenTofuCatalogClient(options.http, clientOptions),
    );
  }

  /** Whether a refresh started by this engine is under way. */
  get isRefreshing(): boolean {
    return this.running;
  }

  /**
   * One refresh at a time per engine: two would page the same sources twice and race on their cursors. Another
   * process may refresh at the same time; the saved cursors keep that safe, only wasteful.
   */
  async refresh(options: CatalogRefreshOptions = {}): Promise<CatalogRefreshReport> {
    if (this.running) {
      throw new LarderError(
        "conflict",
        "A catalog refresh is already running; its progress is on the event stream, and search answers meanwhile.",
      );
    }
    this.running = true;
    const registries = [...(options.registries ?? this.registries())];
    this.options.publish({ kind: "catalog", state: "started", registries, sources: [] });
    let report: CatalogRefreshReport | undefined;
    try {
      report = await refreshCatalog({ repository: this.options.repository, sources: this.sources }, options);
      return report;
    } finally {
      this.running = false;
      const sources = (report?.sources ?? []).map(({ registry, kind, entries, error }) => ({
        registry,
        kind,
        entries,
        error,
      }));
      this.options.publish({ kind: "catalog", state: "finished", registries, sources });
    }
  }

  private registries(): string[] {
    return [...new Set(this.sources.map((source) => source.registry))];
  }

  isStale(now: Date = new Date()): boolean {
    return this.staleRegistries(now).length > 0;
  }

  startBackground(timing?: CatalogBackgroundTiming): () => void {
    return startCatalogBackgroundRefresh(
      {
        hours: this.options.refreshHours,
        staleRegistries: () => this.staleRegistries(new Date()),
        refresh: (registries, signal) => this.refresh({ registries, signal }),
        warn: this.options.warn,
      },
      timing,
    );
  }

  private staleRegistries(now: Date): string[] {
    return staleRegistries(this.options.repository, this.sources, this.options.refreshHours(), now);
  }
}
