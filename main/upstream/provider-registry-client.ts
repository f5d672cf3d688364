import { z } from "zod";
import { LarderError } from "../core/errors.js";
import type { Platform } from "../core/platform.js";
import type { ProviderAddress } from "../core/provider-address.js";
import { formatProviderAddress } from "../core/provider-address.js";
import type { UpstreamHttpClient } from "./http-client.js";
import type { ServiceDiscovery } from "./service-discovery.js";

const versionsSchema = z.object({
  versions: z.array(
    z.object({
      version: z.string(),
      protocols: z.array(z.string()).optional(),
      platforms: z.array(z.object({ os: z.string(), arch: z.string() })).optional(),
    }),
  ),
  warnings: z.array(z.string()).nullish(),
});

const gpgKeySchema = z.looseObject({
  key_id: z.string().optional(),
  ascii_armor: z.string(),
  trust_signature: z.string().optional(),
  source: z.string().optional(),
  source_url: z.string().optional(),
});

const downloadSchema = z.object({
  protocols: z.array(z.string()).optional(),
  os: z.string(),
  arch: z.string(),
  filename: z.string(),
  download_url: z.string(),
  shasums_url: z.string(),
  shasums_signature_url: z.string(),
  shasum: z.string(),
  signing_keys: z.object({ gpg_public_keys: z.array(gpgKeySchema).nullish() }).optional(),
});

/** One upstream version entry of the providers.v1 `versions` answer. */
export interface UpstreamProviderVersion {
  readonly version: string;
  readonly protocols: readonly string[];
  readonly platforms: readonly Platform[];
}

/** One key of `signing_keys.gpg_public_keys`, kept whole so it can be served back verbatim. */
export type UpstreamSigningKey = z.infer<typeof gpgKeySchema>;

/** The providers.v1 download answer with its three URLs resolved against the answer's own URL. */
export interface UpstreamProviderDownload {
  readonly protocols: readonly string[];
  readonly os: string;
  readonly arch: string;
  readonly filename: string;
  readonly downloadUrl: string;
  readonly shasumsUrl: string;
  readonly shasumsSignatureUrl: string;
  readonly shasum: string;
  readonly signingKeys: readonly UpstreamSigningKey[];
}

/** Client of the provider registry protocol (terraform-protocols.md §2) for any host. */
export class ProviderRegistryClient {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly discovery: ServiceDiscovery,
  ) {}

  /** Every version the registry offers for a provider. */
  async listVersions(address: ProviderAddress, signal?: AbortSignal): Promise<UpstreamProviderVersion[]> {
    const base = await this.discovery.providersBaseUrl(address.host);
    const url = new URL(`${address.namespace}/${address.type}/versions`, base).href;
    const name = formatProviderAddress(address);
    const answer = await this.http.getJson(url, { what: `the versions of ${name}`, signal });
    if (!answer) {
      throw new LarderError("not_found", `Registry ${address.host} does not have a provider named ${name}.`);
    }
    const parsed = parseWith(versionsSchema, answer.json, `the versions of ${name} from ${url}`);
    return parsed.versions.map((entry) => ({
      version: entry.version,
      protocols: entry.protocols ?? [],
      platforms: entry.platforms ?? [],
    }));
  }

  /** The download answer for one version and platform; a not_found error if that platform is not offered. */
  async getDownload(
    address: ProviderAddress,
    version: string,
    platform: Platform,
    signal?: AbortSignal,
  ): Promise<UpstreamProviderDownload> {
    const base = await this.discovery.providersBaseUrl(address.host);
    const path = `${address.namespace}/${address.type}/${encodeURIComponent(version)}/download/${platform.os}/${platform.arch}`;
    const url = new URL(path, base).href;
    const what = `${formatProviderAddress(address)} ${version} for ${platform.os}_${platform.arch}`;
    const answer = await this.http.getJson(url, { what: `the download information of ${what}`, signal });
    if (!answer) throw new LarderError("not_found", `Provider ${what} is not available upstream.`);
    const parsed = parseWith(downloadSchema, answer.json, `the download information of ${what}`);
    return {
      protocols: parsed.protocols ?? [],
      os: parsed.os,
      arch: parsed.arch,
      filename: parsed.filename,
      downloadUrl: resolveHttpUrl(parsed.download_url, answer.url, what),
      shasumsUrl: resolveHttpUrl(parsed.shasums_url, answer.url, what),
      shasumsSignatureUrl: resolveHttpUrl(parsed.shasums_signature_url, answer.url, what),
      shasum: parsed.shasum,
      signingKeys: parsed.signing_keys?.gpg_public_keys ?? [],
    };
  }
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape";
    throw new LarderError("upstream_error", `The registry sent a malformed answer for ${what} (${where}).`);
  }
  return result.data;
}

/** Resolves a URL from a registry answer against that answer's URL; only http(s) is allowed, as in terraform. */
function resolveHttpUrl(value: string, base: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new LarderError("upstream_error", `The registry sent an invalid URL "${value}" for ${what}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LarderError(
      "upstream_error",
      `The registry sent a ${url.protocol} URL for ${what}; only http and https are allowed.`,
    );
  }
  return url.href;
}
