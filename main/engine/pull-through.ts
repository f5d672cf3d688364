import { errorMessage, LarderError } from "../core/errors.js";
import { formatModuleAddress, type ModuleAddress } from "../core/module-address.js";
import type { Platform } from "../core/platform.js";
import { formatProviderAddress, type ProviderAddress } from "../core/provider-address.js";
import type { UpstreamProviderVersion } from "../upstream/provider-registry-client.js";

/** The registry client whose request caused a fetch, as the server saw it: recorded in the audit log. */
export interface PullThroughClient {
  readonly peer?: string;
  readonly userAgent?: string;
}

/** What pull-through needs from the engine: upstream listings and verified ingest of one package. */
export interface PullThroughSources {
  listProviderVersions(address: ProviderAddress): Promise<UpstreamProviderVersion[]>;
  listModuleVersions(address: ModuleAddress): Promise<string[]>;
  fetchProviderPackage(
    address: ProviderAddress,
    version: string,
    platform: Platform,
    client: PullThroughClient,
  ): Promise<void>;
  fetchModuleVersion(address: ModuleAddress, version: string, client: PullThroughClient): Promise<void>;
}

/** An upstream listing as served: possibly from cache, marked stale when the upstream could not be asked. */
export interface UpstreamListing<T> {
  readonly value: T;
  /** Set when the upstream failed and the value is older than the cache time (or empty): a warning to show. */
  readonly warning: string | undefined;
}

interface CacheEntry<T> {
  readonly at: number;
  readonly value: T;
}

/** After an upstream failed to list versions, it is not asked again for this long: requests get the stale list. */
export const LISTING_RETRY_AFTER_MS = 30_000;

/**
 * `larder serve --pull-through`: packages terraform asks for and Larder lacks are fetched from upstream,
 * verified exactly as mirrored ones, stored, then served. Concurrent requests for one package share one
 * download; upstream version lists are cached for `ttlMs` and served stale, with a warning, when the
 * upstream is down.
 */
export class PullThrough {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly listings = new Map<string, CacheEntry<unknown>>();
  /** Listings being fetched: concurrent requests for one wait for the same upstream answer. */
  private readonly listingsInFlight = new Map<string, Promise<UpstreamListing<unknown[]>>>();
  /** When a listing last failed, and why: a dead upstream is not waited on by every request. */
  private readonly listingFailures = new Map<string, { readonly at: number; readonly message: string }>();

  constructor(
    private readonly sources: PullThroughSources,
    private ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Changes how long listings are cached (a changed setting); cached ones are judged by the new time. */
  setTtl(ttlMs: number): void {
    if (!Number.isFinite(ttlMs) || ttlMs < 0) {
      throw new LarderError("invalid_input", "The pull-through cache time must be 0 or more milliseconds.");
    }
    this.ttlMs = ttlMs;
  }

  /** The cache time in force, in milliseconds. */
  get cacheTtlMs(): number {
    return this.ttlMs;
  }

  /** Upstream versions of a provider (empty when the registry does not know it). */
  providerVersions(address: ProviderAddress): Promise<UpstreamListing<UpstreamProviderVersion[]>> {
    return this.listing(`provider ${formatProviderAddress(address)}`, address.host, () =>
      this.sources.listProviderVersions(address),
    );
  }

  /** Upstream versions of a module (empty when the registry does not know it). */
  moduleVersions(address: ModuleAddress): Promise<UpstreamListing<string[]>> {
    return this.listing(`module ${formatModuleAddress(address)}`, address.host, () =>
      this.sources.listModuleVersions(address),
    );
  }

  /**
   * Fetches and stores one provider package unless a download of it is already under way. `client` is who asked;
   * when requests share a download, the first one's client is the one recorded.
   */
  ensureProviderPackage(
    address: ProviderAddress,
    version: string,
    platform: Platform,
    client: PullThroughClient = {},
  ): Promise<void> {
    const key = `provider ${formatProviderAddress(address)} ${version} ${platform.os}_${platform.arch}`;
    return this.once(key, () => this.sources.fetchProviderPackage(address, version, platform, client));
  }

  /** Fetches and stores one module version unless a download of it is already under way (see above for `client`). */
  ensureModuleVersion(
    address: ModuleAddress,
    version: string,
    client: PullThroughClient = {},
  ): Promise<void> {
    const key = `module ${formatModuleAddress(address).toLowerCase()} ${version}`;
    return this.once(key, () => this.sources.fetchModuleVersion(address, version, client));
  }

  private once(key: string, work: () => Promise<void>): Promise<void> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  private listing<T>(key: string, host: string, fetch: () => Promise<T[]>): Promise<UpstreamListing<T[]>> {
    const cached = this.listings.get(key) as CacheEntry<T[]> | undefined;
    if (cached && this.now() - cached.at < this.ttlMs)
      return Promise.resolve({ value: cached.value, warning: undefined });
    const failed = this.listingFailures.get(key);
    if (failed && this.now() - failed.at < LISTING_RETRY_AFTER_MS) {
      return Promise.resolve(this.stale(cached, host, failed.message));
    }
    const pending = this.listingsInFlight.get(key) as Promise<UpstreamListing<T[]>> | undefined;
    if (pending) return pending;
    const started = this.fetchListing(key, host, fetch, cached).finally(() =>
      this.listingsInFlight.delete(key),
    );
    this.listingsInFlight.set(key, started);
    return started;
  }

  private async fetchListing<T>(
    key: string,
    host: string,
    fetch: () => Promise<T[]>,
    cached: CacheEntry<T[]> | undefined,
  ): Promise<UpstreamListing<T[]>> {
    try {
      const value = await fetch();
      this.listings.set(key, { at: this.now(), value });
      this.listingFailures.delete(key);
      return { value, warning: undefined };
    } catch (error) {
      if (error instanceof LarderError && error.code === "not_found") {
        this.listings.set(key, { at: this.now(), value: [] });
        return { value: [], warning: undefined };
      }
      this.listingFailures.set(key, { at: this.now(), message: errorMessage(error) });
      return this.stale(cached, host, errorMessage(error));
    }
  }

  private stale<T>(cached: CacheEntry<T[]> | undefined, host: string, reason: string): UpstreamListing<T[]> {
    const age = cached ? ` from ${new Date(cached.at).toISOString()}` : "";
    return {
      value: cached?.value ?? [],
      warning: `Larder could not reach ${host} (${reason}); serving the ${cached ? "cached" : "mirrored"} version list${age}.`,
    };
  }
}
