import type { PullThrough } from "./pull-through.js";

/** The pullThrough settings as the engine reads them. */
export interface PullThroughSetting {
  readonly enabled: boolean;
  readonly ttlSeconds: number;
}

/** How often the setting is re-read at most: the protocol routes ask on every request. */
const SETTING_CACHE_MS = 1000;

/**
 * Whether a running server fetches misses from upstream, answered per request. Flags fix it for the process
 * (`--pull-through`, `--offline`, `--cache-ttl`); otherwise it follows the pullThrough settings, so switching it in
 * the admin API or with `larder config set` in a terminal takes effect within a second, without a restart. One
 * PullThrough is kept while on, so its version-list cache and shared downloads survive TTL changes.
 */
export class PullThroughMode {
  private service: PullThrough | undefined;
  private read: { readonly at: number; readonly setting: PullThroughSetting } | undefined;

  constructor(
    private readonly create: (ttlMs: number) => PullThrough,
    private readonly setting: () => PullThroughSetting,
    private readonly fixed: { readonly enabled?: boolean; readonly ttlSeconds?: number } = {},
  ) {}

  /** The pull-through service when it is on now, else undefined (offline). */
  current(): PullThrough | undefined {
    const setting = this.effective();
    if (!setting.enabled) return undefined;
    const ttlMs = setting.ttlSeconds * 1000;
    if (this.service === undefined) this.service = this.create(ttlMs);
    else if (this.service.cacheTtlMs !== ttlMs) this.service.setTtl(ttlMs);
    return this.service;
  }

  /** The mode in effect: the flags where given, the settings elsewhere. */
  effective(): PullThroughSetting {
    const now = Date.now();
    if (this.read === undefined || now - this.read.at >= SETTING_CACHE_MS) {
      this.read = { at: now, setting: this.setting() };
    }
    return {
      enabled: this.fixed.enabled ?? this.read.setting.enabled,
      ttlSeconds: this.fixed.ttlSeconds ?? this.read.setting.ttlSeconds,
    };
  }
}
