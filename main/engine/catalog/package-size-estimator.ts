import { errorMessage, LarderError } from "../../core/errors.js";
import { parsePlatformName, type Platform } from "../../core/platform.js";
import type { PackageSizeRecord, PackageSizeRepository } from "../../db/package-size-repository.js";
import type { UpstreamProviderDownload } from "../../upstream/provider-registry-client.js";
import type { Inventory } from "../inventory.js";
import {
  cachedSizes,
  packageKey,
  storedSizes,
  summed,
  type ProviderKey,
  type ProviderSizeEstimate,
  type SizeEstimates,
} from "./catalog-sizes.js";
import { HostSlots } from "./host-slots.js";

/** What the estimator reads and asks. */
export interface PackageSizeDeps {
  readonly cache: PackageSizeRepository;
  readonly inventory: () => Inventory;
  /** The registry's download answer (credentials and `--upstream` overrides applied by the registry client). */
  readonly download: (
    key: ProviderKey,
    version: string,
    platform: Platform,
    signal: AbortSignal,
  ) => Promise<UpstreamProviderDownload>;
  /** The size of the file at `url` (HEAD, or a one-byte ranged GET); throws saying why there is none. */
  readonly probe: (url: string, what: string, signal: AbortSignal) => Promise<number>;
  readonly now?: () => Date;
}

/**
 * How much one call may ask: look-ups in all, at once per registry host (across calls), and for how long in all, so
 * a registry that does not answer (each request retried by the HTTP client) cannot hold the Browse page.
 */
export interface PackageSizeLimits {
  readonly perCall: number;
  readonly perHost: number;
  readonly callTimeoutMs: number;
}

export const DEFAULT_SIZE_LIMITS: PackageSizeLimits = { perCall: 8, perHost: 2, callTimeoutMs: 20_000 };

/** What to estimate: every requested version on every requested platform. */
export interface ProviderSizeRequest {
  readonly versions: readonly string[];
  readonly platforms: readonly string[];
  /** Answer from the stored packages and the cache alone. */
  readonly offline?: boolean;
}

/**
 * Sizes of provider packages for the Browse page, cheapest source first: a stored archive (exact), a cached
 * estimate, the registry's download answer when it carries a size, a `HEAD` on its download_url. Network look-ups
 * are bounded per call and per host so ticking forty platforms does not fire eighty requests; what is left over
 * answers "limit" and the caller asks again (each answer fills the cache, so the next call gets further).
 */
export class PackageSizeEstimator {
  private readonly slots: HostSlots;

  constructor(
    private readonly deps: PackageSizeDeps,
    private readonly limits: PackageSizeLimits = DEFAULT_SIZE_LIMITS,
  ) {
    this.slots = new HostSlots(limits.perHost);
  }

  /** Estimates; never throws for an upstream failure (that package is unknown, with the message). */
  async providerSizes(
    key: ProviderKey,
    request: ProviderSizeRequest,
  ): Promise<SizeEstimates<ProviderSizeEstimate>> {
    const platforms = request.platforms.map((text) => parsePlatformName(text));
    const stored = storedSizes(this.deps.inventory(), key);
    const cached = cachedSizes(this.deps.cache.sizesOf(key));
    let budget = this.limits.perCall;
    const deadline = AbortSignal.timeout(this.limits.callTimeoutMs);
    const pending = new Map<string, Promise<ProviderSizeEstimate>>();
    for (const version of request.versions) {
      for (const platform of platforms) {
        const name = `${platform.os}_${platform.arch}`;
        const id = packageKey(version, name);
        if (pending.has(id)) continue;
        const known = knownEstimate(version, name, stored.get(id), cached.get(id));
        if (known) pending.set(id, Promise.resolve(known));
        else if (request.offline === true) {
          pending.set(
            id,
            Promise.resolve(unknown(version, name, "offline: not stored and not in the cache")),
          );
        } else if (budget <= 0) {
          const reason = `not estimated: limit of ${this.limits.perCall} look-ups per request; ask again`;
          pending.set(id, Promise.resolve(unknown(version, name, reason)));
        } else {
          budget -= 1;
          pending.set(
            id,
            this.slots.run(key.host, () => this.lookUp(key, version, platform, deadline)),
          );
        }
      }
    }
    return summed(await Promise.all(pending.values()));
  }

  /** The registry's size, else the download_url's; cached when found, unknown with the reason when not. */
  private async lookUp(
    key: ProviderKey,
    version: string,
    platform: Platform,
    deadline: AbortSignal,
  ): Promise<ProviderSizeEstimate> {
    const name = `${platform.os}_${platform.arch}`;
    const what = `${key.host}/${key.namespace}/${key.type} ${version} for ${name}`;
    const timedOut = `not estimated: the registry took longer than ${this.limits.callTimeoutMs / 1000} s; ask again`;
    // A function, not the property: TypeScript would keep the first check's narrowing past the awaits.
    const expired = (): boolean => deadline.aborted;
    if (expired()) return unknown(version, name, timedOut);
    try {
      const download = await this.deps.download(key, version, platform, deadline);
      const fromRegistry = download.size !== undefined;
      const size = download.size ?? (await this.deps.probe(download.downloadUrl, what, deadline));
      const source = fromRegistry ? "registry" : "head";
      const fetchedAt = (this.deps.now?.() ?? new Date()).toISOString();
      this.deps.cache.put(key, { version, os: platform.os, arch: platform.arch, size, source, fetchedAt });
      return { version, platform: name, size, source };
    } catch (error) {
      const reason = expired()
        ? timedOut
        : error instanceof LarderError && error.code === "not_found"
          ? `the registry does not offer ${name} for ${version}`
          : errorMessage(error);
      return unknown(version, name, reason);
    }
  }
}

/** The size the mirror knows without asking: stored wins (exact), then the cache. */
function knownEstimate(
  version: string,
  platform: string,
  stored: number | undefined,
  cached: PackageSizeRecord | undefined,
): ProviderSizeEstimate | undefined {
  if (stored !== undefined) return { version, platform, size: stored, source: "stored" };
  if (cached) return { version, platform, size: cached.size, source: "cached", fetchedAt: cached.fetchedAt };
  return undefined;
}

function unknown(version: string, platform: string, reason: string): ProviderSizeEstimate {
  return { version, platform, size: null, source: "unknown", reason };
}
