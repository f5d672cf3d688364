import { LarderError } from "../core/errors.js";
import type { UpstreamHttpClient } from "./http-client.js";

/** The services a registry host offers, as absolute base URLs ending in "/". */
export interface HostServices {
  readonly providersV1?: string;
  readonly modulesV1?: string;
}

/**
 * Remote service discovery (terraform-protocols.md §1): GET `<base>/.well-known/terraform.json` where base is
 * `https://HOST` or the `--upstream HOST=URL` override. Results are cached for the life of the process, as
 * terraform does.
 */
export class ServiceDiscovery {
  private readonly cache = new Map<string, Promise<HostServices>>();

  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly overrides: ReadonlyMap<string, string>,
  ) {}

  /** The base URL that HOST is reached at. */
  baseUrlOf(host: string): string {
    return this.overrides.get(host) ?? `https://${host}`;
  }

  /** The services of HOST (cached). */
  services(host: string): Promise<HostServices> {
    let pending = this.cache.get(host);
    if (!pending) {
      pending = this.discover(host);
      // A failed discovery is not cached: the next command may find the host reachable again.
      pending.catch(() => this.cache.delete(host));
      this.cache.set(host, pending);
    }
    return pending;
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

  private async discover(host: string): Promise<HostServices> {
    const url = `${this.baseUrlOf(host)}/.well-known/terraform.json`;
    // Headers and body are one attempt, so a discovery document cut off mid-way is fetched again.
    const response = await this.http.getDocument(
      url,
      { what: `the service discovery document of ${host}`, accept: "application/json" },
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
        `Service discovery for ${host} at ${url} failed: HTTP ${response.status}.`,
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
