import type { Db } from "../../db/connection.js";
import { CatalogRepository } from "../../db/catalog-repository.js";
import type { ModuleRepository } from "../../db/module-repository.js";
import { PackageSizeRepository } from "../../db/package-size-repository.js";
import type { RegistryClient } from "../../core/clients.js";
import { probeContentLength } from "../../upstream/content-length-probe.js";
import type { UpstreamHttpClient } from "../../upstream/http-client.js";
import type { ModuleDocsClient } from "../../upstream/module-docs-client.js";
import type { ModuleRegistryClient } from "../../upstream/module-registry-client.js";
import type { ProviderRegistryClient } from "../../upstream/provider-registry-client.js";
import type { UpstreamResolver } from "../../upstream/service-discovery.js";
import type { Inventory } from "../inventory.js";
import type { LarderEvent } from "../larder-events.js";
import {
  providerDetail,
  type CatalogDetail,
  type CatalogDetailDeps,
  type DetailOptions,
  type ModuleDetailVersion,
  type ProviderDetailVersion,
} from "./catalog-detail.js";
import type { CatalogRefreshOptions, CatalogRefreshReport } from "./catalog-refresh.js";
import { CatalogRefresher } from "./catalog-refresher.js";
import { searchCatalog, type CatalogSearchQuery, type CatalogSearchResult } from "./catalog-search.js";
import {
  moduleSizes,
  sizedProviderDetail,
  type ModuleSizeEstimate,
  type ProviderSizeEstimate,
  type SizeEstimates,
} from "./catalog-sizes.js";
import type { CatalogBackgroundTiming } from "./catalog-staleness.js";
import { moduleDetailWithDocs, type ModuleDetailDocs, type ModuleDetailOptions } from "./module-docs.js";
import {
  DEFAULT_SIZE_LIMITS,
  PackageSizeEstimator,
  type PackageSizeLimits,
  type ProviderSizeRequest,
} from "./package-size-estimator.js";

/** What the catalogs need from the engine that composes them. */
export interface CatalogsDependencies {
  readonly db: Db;
  readonly http: UpstreamHttpClient;
  readonly registry: ProviderRegistryClient;
  readonly moduleRegistry: ModuleRegistryClient;
  readonly moduleDocs: ModuleDocsClient;
  readonly modules: ModuleRepository;
  readonly upstreams: UpstreamResolver;
  readonly warn: (message: string) => void;
  readonly refreshHours: () => number;
  readonly clients: () => readonly RegistryClient[];
  readonly publish: (event: LarderEvent) => void;
  readonly inventory: () => Inventory;
  readonly archivePath: (sha256: string) => string;
  readonly sizeLimits?: Partial<PackageSizeLimits>;
}

/**
 * Finding what to mirror (`larder.catalogs`): refresh the public catalogs, search them, show one provider or
 * module in detail with its docs, and estimate package sizes. One facade, so the engine class stays about
 * storage and jobs, and the CLI, the admin routes and the tests share one answer.
 */
export class Catalogs {
  private readonly cache: CatalogRepository;
  private readonly refresher: CatalogRefresher;
  private readonly sizeCache: PackageSizeRepository;
  private readonly sizeEstimator: PackageSizeEstimator;

  constructor(private readonly deps: CatalogsDependencies) {
    this.cache = new CatalogRepository(deps.db);
    this.refresher = new CatalogRefresher({
      repository: this.cache,
      http: deps.http,
      upstreams: deps.upstreams,
      warn: deps.warn,
      refreshHours: deps.refreshHours,
      publish: deps.publish,
    });
    this.sizeCache = new PackageSizeRepository(deps.db);
    this.sizeEstimator = new PackageSizeEstimator(
      {
        cache: this.sizeCache,
        inventory: deps.inventory,
        download: (key, version, platform, signal) =>
          deps.registry.getDownload(key, version, platform, signal),
        probe: (url, what, signal) => probeContentLength(deps.http, url, what, signal),
      },
      { ...DEFAULT_SIZE_LIMITS, ...deps.sizeLimits },
    );
  }

  /**
   * Refreshes the search catalog of the public registries (all, or `registries`): polite, resumable, one failing
   * source reported without stopping the others. Throws LarderError "interrupted" when `signal` aborts.
   */
  refresh(options: CatalogRefreshOptions = {}): Promise<CatalogRefreshReport> {
    return this.refresher.refresh(options);
  }

  /** Whether this engine is refreshing the catalog now. */
  get refreshing(): boolean {
    return this.refresher.isRefreshing;
  }

  /** Whether a public catalog source never finished a refresh or finished longer ago than catalogRefreshHours. */
  isStale(now?: Date): boolean {
    return this.refresher.isStale(now);
  }

  /**
   * Refreshes the stale part of the catalog in the background while catalogRefreshHours is above 0, checking
   * every ~10 minutes and once shortly after start; failures go to the warning sink. Returns the stop function.
   */
  startBackgroundRefresh(timing?: CatalogBackgroundTiming): () => void {
    return this.refresher.startBackground(timing);
  }

  /**
   * Searches the catalog cache, marking each hit stored / partly / not-stored; an address-shaped text is also
   * looked up live (unless `offline`) and remembered, so private registries become searchable.
   */
  search(query: CatalogSearchQuery): Promise<CatalogSearchResult> {
    const { registry, moduleRegistry } = this.deps;
    const source = {
      providerVersions: async (host: string, namespace: string, type: string) =>
        (await registry.listVersions({ host, namespace, type })).map((entry) => entry.version),
      moduleVersions: (host: string, namespace: string, name: string, system: string) =>
        moduleRegistry.listVersions({ host, namespace, name, system }),
    };
    return searchCatalog(
      { cache: this.cache, source, inventory: this.deps.inventory, clients: this.deps.clients },
      query,
    );
  }

  /**
   * Every known version of a provider (cache, live registry, inventory) with the platform sizes known without a
   * request; not_found when none knows it.
   */
  async provider(
    host: string,
    namespace: string,
    type: string,
    options: DetailOptions = {},
  ): Promise<CatalogDetail<ProviderDetailVersion>> {
    const detail = await providerDetail(
      this.detailDeps(),
      { host: host.toLowerCase(), namespace: namespace.toLowerCase(), name: type.toLowerCase() },
      options,
    );
    return sizedProviderDetail(detail, this.sizeCache, this.deps.inventory());
  }

  /**
   * Archive sizes of provider packages: stored, cached, the registry's download answer, a HEAD on its download_url
   * (bounded per call and per host; the rest say "limit"). Upstream failures are per package, never thrown.
   */
  providerSizes(
    host: string,
    namespace: string,
    type: string,
    request: ProviderSizeRequest,
  ): Promise<SizeEstimates<ProviderSizeEstimate>> {
    const key = { host: host.toLowerCase(), namespace: namespace.toLowerCase(), type: type.toLowerCase() };
    return this.sizeEstimator.providerSizes(key, request);
  }

  /** Module versions' sizes: exact when stored, else unknown until downloaded (no request is made). */
  moduleSizes(
    host: string,
    namespace: string,
    name: string,
    system: string,
    versions: readonly string[],
  ): SizeEstimates<ModuleSizeEstimate> {
    return moduleSizes(
      this.deps.inventory(),
      { host: host.toLowerCase(), namespace, name, system },
      versions,
    );
  }

  /**
   * Every known version of a module (cache, live registry, inventory), with the README, dependencies, inputs and
   * outputs of one version (`options.version`, else the newest release) from the registry's docs or the stored
   * archive; not_found when none knows the module. Offline, only the stored archive is read.
   */
  module(
    host: string,
    namespace: string,
    name: string,
    system: string,
    options: ModuleDetailOptions = {},
  ): Promise<CatalogDetail<ModuleDetailVersion> & ModuleDetailDocs> {
    return moduleDetailWithDocs(
      this.detailDeps(),
      {
        client: this.deps.moduleDocs,
        stored: (key) => this.deps.modules.find(key),
        archivePath: this.deps.archivePath,
      },
      { host: host.toLowerCase(), namespace, name, system },
      options,
    );
  }

  private detailDeps(): CatalogDetailDeps {
    const { registry, moduleRegistry } = this.deps;
    return {
      cache: this.cache,
      inventory: this.deps.inventory,
      providerSource: {
        providerVersionsWithPlatforms: (host, namespace, type) =>
          registry.listVersions({ host, namespace, type }),
      },
      moduleVersions: (host, namespace, name, system) =>
        moduleRegistry.listVersions({ host, namespace, name, system }),
    };
  }
}
