import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { isValidPlatformSegment, type Platform } from "../core/platform.js";
import type { ProviderAddress } from "../core/provider-address.js";
import { formatProviderAddress } from "../core/provider-address.js";
import type { UpstreamHttpClient } from "./http-client.js";
import {
  decodeEach,
  decodeOrThrow,
  isSemver,
  notSemver,
  stringsOf,
  type WarningSink,
} from "./lenient-json.js";
import type { ServiceDiscovery } from "./service-discovery.js";

// All schemas below see answers with null members already dropped (lenient-json.ts), so `.optional()` also
// accepts null, as Go's decoder does.

const versionsDocumentSchema = z.object({
  versions: z.array(z.unknown()).optional(),
  warnings: z.array(z.unknown()).optional(),
});

const versionEntrySchema = z.object({
  version: z.string().refine(isSemver, notSemver),
  protocols: z.array(z.unknown()).optional(),
  platforms: z.array(z.unknown()).optional(),
});

// Segments end up in file names and URLs, so only plain lower-case words are kept (as registries publish).
const platformSchema = z.object({
  os: z.string().refine(isValidPlatformSegment, "not a plain lower-case word"),
  arch: z.string().refine(isValidPlatformSegment, "not a plain lower-case word"),
});

// Only ascii_armor is needed to verify a signature; a wrongly typed optional member is dropped, not fatal.
const optionalText = z.string().optional().catch(undefined);

const gpgKeySchema = z.looseObject({
  ascii_armor: z.string().min(1),
  key_id: optionalText,
  trust_signature: optionalText,
  source: optionalText,
  source_url: optionalText,
});

const signingKeysSchema = z.preprocess(
  // registry.opentofu.org has been seen sending `"signing_keys": []`; like tofu, that means "no keys".
  (value) => (Array.isArray(value) ? {} : value),
  z.object({ gpg_public_keys: z.array(gpgKeySchema).optional() }).optional(),
);

const packageSizeSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);

const downloadSchema = z.object({
  protocols: z.array(z.unknown()).optional(),
  os: z.string(),
  arch: z.string(),
  filename: z.string().min(1),
  download_url: z.string().min(1),
  shasums_url: z.string().min(1),
  shasums_signature_url: z.string().min(1),
  // Its format (64 hex digits) is checked where the package is verified.
  shasum: z.string(),
  signing_keys: signingKeysSchema,
  // Package size extensions (OpenTofu's `packages` extension and look-alikes): bytes as a number or a numeric
  // string; anything else is dropped, since a size is only ever an estimate for display.
  size: packageSizeSchema,
  content_length: packageSizeSchema,
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
  /** The archive's size in bytes when the registry says (an extension); undefined when it does not. */
  readonly size?: number;
}

/** Client of the provider registry protocol (terraform-protocols.md §2) for any host. */
export class ProviderRegistryClient {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly discovery: ServiceDiscovery,
    private readonly warn: WarningSink = () => undefined,
  ) {}

  /** Every version the registry offers for a provider. */
  async listVersions(address: ProviderAddress, signal?: AbortSignal): Promise<UpstreamProviderVersion[]> {
    const base = await this.discovery.providersBaseUrl(address.host);
    const url = new URL(`${address.namespace}/${address.type}/versions`, base).href;
    const name = formatProviderAddress(address);
    const answer = await this.http.getJson(url, {
      what: `the versions of ${name}`,
      signal,
      headers: this.discovery.authHeaders(address.host),
    });
    if (!answer) {
      throw new LarderError("not_found", `Registry ${address.host} does not have a provider named ${name}.`);
    }
    const document = decodeOrThrow(
      versionsDocumentSchema,
      answer.json,
      `the versions of ${name} from ${url}`,
    );
    const report = (message: string): void => {
      this.warn(`Registry ${address.host}: ${message}`);
    };
    for (const warning of stringsOf(document.warnings)) report(`warning for ${name}: ${warning}`);
    const entries = decodeEach(versionEntrySchema, document.versions ?? [], "versions", (detail) => {
      report(`skipped an unreadable entry in the versions of ${name} (${detail})`);
    });
    return entries.map((entry) => ({
      version: entry.version,
      protocols: stringsOf(entry.protocols),
      platforms: decodeEach(platformSchema, entry.platforms ?? [], "platforms", (detail) => {
        report(`skipped an unreadable platform of ${name} ${entry.version} (${detail})`);
      }),
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
    const answer = await this.http.getJson(url, {
      what: `the download information of ${what}`,
      signal,
      headers: this.discovery.authHeaders(address.host),
    });
    if (!answer) throw new LarderError("not_found", `Provider ${what} is not available upstream.`);
    const parsed = decodeOrThrow(downloadSchema, answer.json, `the download information of ${what}`);
    return {
      protocols: stringsOf(parsed.protocols),
      os: parsed.os,
      arch: parsed.arch,
      filename: parsed.filename,
      downloadUrl: resolveHttpUrl(parsed.download_url, answer.url, what),
      shasumsUrl: resolveHttpUrl(parsed.shasums_url, answer.url, what),
      shasumsSignatureUrl: resolveHttpUrl(parsed.shasums_signature_url, answer.url, what),
      shasum: parsed.shasum,
      signingKeys: parsed.signing_keys?.gpg_public_keys ?? [],
      ...sizeOf(parsed.size ?? parsed.content_length),
    };
  }
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

/** The size member when the registry sent a usable one. */
function sizeOf(size: number | undefined): { size?: number } {
  return size === undefined || !Number.isSafeInteger(size) ? {} : { size };
}
