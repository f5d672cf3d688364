import type { CatalogRepository } from "../../db/catalog-repository.js";
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
}

/** The catalog's refresh, staleness and background refresh, composed once by the engine. */
export class CatalogRefresher {
  private readonly sources: readonly CatalogSource[];

  constructor(private readonly options: CatalogRefresherOptions) {
    const clientOptions = { upstreams: options.upstreams, warn: options.warn };
    this.sources = publicCatalogSources(
      new TerraformCatalogClient(options.http, clientOptions),
      new OpenTofuCatalogClient(options.http, clientOptions),
    );
  }

  refresh(options: CatalogRefreshOptions = {}): Promise<CatalogRefreshReport> {
    return refreshCatalog({ repository: this.options.repository, sources: this.sources }, options);
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
