import { LarderError } from "../core/errors.js";
import type { UpstreamHttpClient } from "./http-client.js";

/** The services a registry host offers, as absolute base URLs ending in "/". */
export interface HostServices {
  readonly providersV1?: string;
  readonly modulesV1?: string;
}

/** Where a registry host is reached and with which API token, as configured at the moment of the lookup. */
export interface UpstreamTarget {
  /** `https://HOST`, or the configured base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer` to this host's discovery and registry APIs only. */
  readonly token: string | undefined;
}

/** Looks up a host's target each time it is asked, so a changed setting applies without a restart. */
export type UpstreamResolver = (host: string) => UpstreamTarget;

/** Resolves hosts from a fixed map of `--upstream HOST=URL` overrides, without tokens (tests, simple callers). */
export function fixedUpstreams(overrides: ReadonlyMap<string, string>): UpstreamResolver {
  return (host) => ({ baseUrl: overrides.get(host) ?? `https://${host}`, token: undefined });
}

interface CachedServices {
  /** The target the services were discovered with: a changed URL or token means discovering again. */
  readonly target: UpstreamTarget;
  readonly services: Promise<HostServices>;
}

/**
 * Remote service discovery (terraform-protocols.md §1): GET `<base>/.well-known/terraform.json` where base is
 * `https://HOST` or the host's configured URL. Results are cached per host, as terraform does, until the host's
 * URL or token changes (checked on every lookup, also for changes another process made) or `invalidate` is called.
 */
export class ServiceDiscovery {
  private readonly cache = new Map<string, CachedServices>();
  private readonly resolve: UpstreamResolver;

  /** `upstreams`: a resolver asked on every lookup, or a fixed map of overrides. */
  constructor(
    private readonly http: UpstreamHttpClient,
    upstreams: UpstreamResolver | ReadonlyMap<string, string>,
  ) {
    this.resolve = typeof upstreams === "function" ? upstreams : fixedUpstreams(upstreams);
  }

  /** The base URL that HOST is reached at. */
  baseUrlOf(host: string): string {
    return this.resolve(host).baseUrl;
  }

  /**
   * Headers for a request to one of HOST's own service URLs (discovery, providers.v1, modules.v1): its token,
   * like terraform's `credentials "HOST"`. Never for download URLs, which may be on other hosts (S3, GitHub).
   */
  authHeaders(host: string): Record<string, string> {
    const { token } = this.resolve(host);
    return token === undefined ? {} : { authorization: `Bearer ${token}` };
  }

  /** Forgets what was discovered for HOST, e.g. after its setting changed. */
  invalidate(host: string): void {
    this.cache.delete(host);
  }

  /** The services of HOST (cached). */
  services(host: string): Promise<HostServices> {
    const target = this.resolve(host);
    const cached = this.cache.get(host);
    if (cached && cached.target.baseUrl === target.baseUrl && cached.target.token === target.token) {
      return cached.services;
    }
    const services = this.discover(host, target);
    const entry = { target, services };
    // A failed discovery is not cached: the next command may find the host reachable again.
    services.catch(() => {
      if (this.cache.get(host) === entry) this.cache.delete(host);
    });
    this.cache.set(host, entry);
    return services;
  }

  /** The providers.v1 base URL of HOST, or a clear error if it offers none. */
  async providersBaseUrl(host: string): Promise<string> {
    const { providersV1 } = await this.services(host);
    if (providersV1 === undefined) {
      throw new LarderError(
        "not_found",
        `Host ${host} does not offer a Terraform provider registry (no providers.v1 in its discovery document).`,
      );
    }
    return providersV1;
  }

  /** The modules.v1 base URL of HOST, or a clear error if it offers none. */
  async modulesBaseUrl(host: string): Promise<string> {
    const { modulesV1 } = await this.services(host);
    if (modulesV1 === undefined) {
      throw new LarderError(
        "not_found",
        `Host ${host} does not offer a Terraform module registry (no modules.v1 in its discovery document).`,
      );
    }
    return modulesV1;
  }

  private async discover(host: string, target: UpstreamTarget): Promise<HostServices> {
    const url = `${target.baseUrl}/.well-known/terraform.json`;
    // Headers and body are one attempt, so a discovery document cut off mid-way is fetched again.
    const response = await this.http.getDocument(
      url,
      {
        what: `the service discovery document of ${host}`,
        accept: "application/json",
        ...(target.token === undefined ? {} : { headers: { authorization: `Bearer ${target.token}` } }),
      },
      {
        maxBytes: 1024 * 1024,
        beforeBody: (answer) => {
          const mediaType = (answer.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
          if (mediaType !== "application/json") {
            throw new LarderError(
              "upstream_error",
              `Service discovery for ${host} at ${url} returned Content-Type "${mediaType ?? ""}"; terraform requires application/json.`,
            );
          }
        },
      },
    );
    if (response.status === 404) return {};
    if (response.status !== 200) {
      throw new LarderError(
        "upstream_error",
        `Service discovery for ${host} at ${url} failed: HTTP ${response.status}.${
          response.status === 401 || response.status === 403
            ? ` The registry requires a token or rejected it; give one with: larder upstream add ${host} --token-stdin`
            : ""
        }`,
      );
    }
    const document = parseJson(response.bytes);
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw new LarderError(
        "upstream_error",
        `Service discovery for ${host} at ${url}: the document is not a JSON object.`,
      );
    }
    const finalUrl = response.url;
    const services = new Map(Object.entries(document));
    return {
      providersV1: resolveService(services.get("providers.v1"), finalUrl, host),
      modulesV1: resolveService(services.get("modules.v1"), finalUrl, host),
    };
  }
}

/** The JSON value of a body, or undefined when it is not JSON. */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Resolves a service URL against the discovery URL, with terraform's checks, ending in "/". */
function resolveService(value: unknown, discoveryUrl: string, host: string): string | undefined {
  if (typeof value !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(value, discoveryUrl);
  } catch {
    throw new LarderError("upstream_error", `Service discovery for ${host}: "${value}" is not a valid URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LarderError(
      "upstream_error",
      `Service discovery for ${host}: unsupported scheme ${url.protocol} in "${value}".`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new LarderError(
      "upstream_error",
      `Service discovery for ${host}: embedded username/password information is not permitted.`,
    );
  }
  url.hash = "";
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}
