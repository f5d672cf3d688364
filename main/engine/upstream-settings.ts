import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { normalizeHostname } from "../core/hostname.js";
import { normalizeRegistryToken, normalizeUpstreamUrl } from "../core/upstream-override.js";
import type { SettingsRepository } from "../db/settings-repository.js";
import type { CredentialsFile } from "../store/credentials-file.js";
import type { UpstreamTarget } from "../upstream/service-discovery.js";

/** The settings row holding the configured registries (their tokens are in credentials.json, never here). */
export const UPSTREAMS_SETTING = "upstreams";

const storedSchema = z.array(z.object({ host: z.string(), url: z.string().optional() }));

/** A configured upstream registry as every read API shows it: the token only as whether there is one. */
export interface UpstreamEntry {
  readonly host: string;
  /** The base URL override, or null for `https://HOST`. */
  readonly url: string | null;
  readonly hasToken: boolean;
  /** "flag": `--upstream`/LARDER_UPSTREAMS of this process, which wins over the setting for its host. */
  readonly source: "setting" | "flag";
}

/** A change to one registry: undefined keeps a part as it is, null removes it. */
export interface UpstreamChange {
  readonly host: string;
  readonly url?: string | null;
  readonly token?: string | null;
}

/**
 * The upstream registries: the `upstreams` setting (host, optional base URL) with tokens from the credentials
 * file, under this process's `--upstream` flags. Read on every lookup, so changes apply to the next request.
 */
export class UpstreamSettings {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly credentials: CredentialsFile,
    private readonly flags: ReadonlyMap<string, string>,
  ) {}

  /** Where HOST is reached now and with which token. */
  target(host: string): UpstreamTarget {
    const url = this.flags.get(host) ?? this.stored().get(host);
    // The token belongs to the host, wherever a flag points it, as terraform's credentials block does.
    return { baseUrl: url ?? `https://${host}`, token: this.credentials.tokenOf(host) };
  }

  /** Every configured registry, flags first where they override, sorted by host. */
  list(): UpstreamEntry[] {
    const stored = this.stored();
    const withToken = new Set(this.credentials.hosts());
    const hosts = new Set([...stored.keys(), ...this.flags.keys(), ...withToken]);
    return [...hosts].sort().map((host) => {
      const flag = this.flags.get(host);
      return {
        host,
        url: flag ?? stored.get(host) ?? null,
        hasToken: withToken.has(host),
        source: flag === undefined ? "setting" : "flag",
      };
    });
  }

  /** Adds or changes a registry; returns its normalized host. Validates everything before writing anything. */
  async set(change: UpstreamChange): Promise<string> {
    const host = normalizeHostname(change.host);
    const url =
      change.url === undefined || change.url === null
        ? change.url
        : normalizeUpstreamUrl(change.url, `Invalid URL for ${host}`);
    const token =
      change.token === undefined || change.token === null
        ? change.token
        : normalizeRegistryToken(change.token);
    if (token !== undefined) await this.credentials.setToken(host, token);
    const stored = this.stored();
    const keptUrl = url === undefined ? stored.get(host) : (url ?? undefined);
    stored.set(host, keptUrl);
    this.write(stored);
    return host;
  }

  /** Forgets a registry and its token; returns its normalized host. */
  async remove(hostInput: string): Promise<string> {
    const host = normalizeHostname(hostInput);
    const stored = this.stored();
    const hadToken = this.credentials.tokenOf(host) !== undefined;
    if (!stored.has(host) && !hadToken) {
      throw new LarderError(
        "not_found",
        `No upstream registry ${host} is configured; list them with: larder upstream list`,
      );
    }
    if (hadToken) await this.credentials.setToken(host, null);
    stored.delete(host);
    this.write(stored);
    return host;
  }

  /** The setting as host → URL (undefined: https://HOST), validated on read so a hand-edited row cannot mislead. */
  private stored(): Map<string, string | undefined> {
    const raw = this.repository.get(UPSTREAMS_SETTING);
    if (raw === undefined) return new Map();
    const parsed = storedSchema.safeParse(raw);
    if (!parsed.success) {
      throw new LarderError(
        "storage_failed",
        "The stored upstreams setting is not valid; remove and add the registries again with: larder upstream",
      );
    }
    return new Map(parsed.data.map((entry) => [normalizeHostname(entry.host), entry.url]));
  }

  private write(entries: ReadonlyMap<string, string | undefined>): void {
    const value = [...entries]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([host, url]) => (url === undefined ? { host } : { host, url }));
    this.repository.set(UPSTREAMS_SETTING, value);
  }
}
