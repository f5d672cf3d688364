import type { Platform } from "../core/platform.js";
import type { CatalogDownload, ProviderCatalog, ProviderCoordinates } from "../engine/provider-catalog.js";
import type { PullThrough, PullThroughClient } from "../engine/pull-through.js";
import type { ServedCounter } from "./metrics.js";

/**
 * One provider package as a client asked for it: stored (a hit), else fetched, verified and stored through
 * `pullThrough` when it is on, else missing; each outcome counted for /metrics. A refusal by verification or an
 * unreachable upstream is counted as a miss and thrown for the error handler to answer.
 */
export async function resolveProviderDownload(
  catalog: ProviderCatalog,
  pullThrough: PullThrough | undefined,
  countServed: ServedCounter,
  request: {
    readonly provider: ProviderCoordinates;
    readonly version: string;
    readonly platform: Platform;
    /** Who asked, recorded with a pull-through fetch. */
    readonly client?: PullThroughClient;
  },
): Promise<CatalogDownload | undefined> {
  const { provider, version, platform, client } = request;
  const lookup = (): CatalogDownload | undefined =>
    catalog.download({ ...provider, version }, platform.os, platform.arch);
  const stored = lookup();
  if (stored) {
    countServed("provider", "hit");
    return stored;
  }
  if (pullThrough) {
    try {
      await pullThrough.ensureProviderPackage(provider, version, platform, client);
    } catch (error) {
      countServed("provider", "miss");
      throw error;
    }
    const pulled = lookup();
    if (pulled) {
      countServed("provider", "pull_through");
      return pulled;
    }
  }
  countServed("provider", "miss");
  return undefined;
}
