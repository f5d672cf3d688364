import { LarderError } from "./errors.js";
import { normalizeHostname } from "./hostname.js";

/** `--upstream HOST=URL`: registry host HOST is reached at base URL URL instead of https://HOST. */
export interface UpstreamOverride {
  readonly host: string;
  readonly baseUrl: string;
}

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
  const rawUrl = input.slice(separator + 1).trim();
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new LarderError(
      "invalid_input",
      `Invalid upstream "${input}": "${rawUrl}" is not an absolute URL.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new LarderError("invalid_input", `Invalid upstream "${input}": the URL must be http: or https:.`);
  }
  return { host, baseUrl: url.href.replace(/\/+$/, "") };
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
