import { LarderError } from "./errors.js";
import { normalizeHostname } from "./hostname.js";

/** `--upstream HOST=URL`: registry host HOST is reached at base URL URL instead of https://HOST. */
export interface UpstreamOverride {
  readonly host: string;
  readonly baseUrl: string;
}

/**
 * Hosts an override may redirect that are not registries terraform asks: OpenTofu's catalog API and GitHub
 * (module sources). A CLI config must not route them through Larder.
 */
export const NON_REGISTRY_HOSTS: ReadonlySet<string> = new Set(["api.opentofu.org", "github.com"]);

/** Parses one `HOST=URL` pair. */
export function parseUpstreamOverride(input: string): UpstreamOverride {
  const separator = input.indexOf("=");
  if (separator <= 0) {
    throw new LarderError(
      "invalid_input",
      `Invalid upstream "${input}": expected HOST=URL, e.g. registry.terraform.io=https://mirror.internal.example.`,
    );
  }
  const host = normalizeHostname(input.slice(0, separator));
  return { host, baseUrl: normalizeUpstreamUrl(input.slice(separator + 1), `Invalid upstream "${input}"`) };
}

/** A registry base URL: absolute, http or https, without credentials, trailing slashes dropped. */
export function normalizeUpstreamUrl(raw: string, context = "Invalid upstream URL"): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new LarderError("invalid_input", `${context}: "${trimmed}" is not an absolute URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LarderError("invalid_input", `${context}: the URL must be http: or https:.`);
  }
  // A token goes in the token store, never in a URL that is listed and logged.
  if (url.username !== "" || url.password !== "") {
    throw new LarderError(
      "invalid_input",
      `${context}: the URL must not contain a user name or password; give a token with --token-stdin instead.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** Parses a list of `HOST=URL` pairs (flags plus the comma-separated LARDER_UPSTREAMS), later entries winning. */
export function parseUpstreamOverrides(inputs: readonly string[]): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const input of inputs.flatMap((value) => value.split(","))) {
    if (input.trim() === "") continue;
    const override = parseUpstreamOverride(input);
    overrides.set(override.host, override.baseUrl);
  }
  return overrides;
}

/**
 * A registry API token as sent in `Authorization: Bearer …`: printable ASCII without spaces, so it cannot break
 * the header, at most 4096 characters. Surrounding whitespace (the newline `echo` adds) is dropped.
 */
export function normalizeRegistryToken(raw: string): string {
  const token = raw.trim();
  if (token === "") throw new LarderError("invalid_input", "The registry token is empty.");
  if (token.length > 4096 || !/^[\x21-\x7e]+$/.test(token)) {
    throw new LarderError(
      "invalid_input",
      "The registry token must be at most 4096 printable ASCII characters without spaces.",
    );
  }
  return token;
}
