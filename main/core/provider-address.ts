import { LarderError } from "./errors.js";
import { normalizeHostname } from "./hostname.js";

/** The default registry host for a two-part provider address, as in terraform. */
export const DEFAULT_REGISTRY_HOST = "registry.terraform.io";

/** A provider source address in canonical (lower-case, normalised host) form. */
export interface ProviderAddress {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

// terraform-registry-address: namespace up to 64 chars of letters, digits and inner hyphens; type likewise.
const PART = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Validates one namespace or type segment, returning its canonical lower-case form. */
export function normalizeProviderPart(value: string, what: "namespace" | "type"): string {
  const lower = value.toLowerCase();
  if (!PART.test(lower) || lower.includes("--")) {
    throw new LarderError(
      "invalid_input",
      `Invalid provider ${what} "${value}": use 1-64 letters, digits and single hyphens, starting and ending with a letter or digit.`,
    );
  }
  return lower;
}

/** Whether an address names no host (`hashicorp/aws`), so that its host depends on the client reading it. */
export function isHostlessProviderAddress(input: string): boolean {
  return input.trim().split("/").length === 2;
}

/**
 * Parses `[host/]namespace/type` (e.g. `hashicorp/aws`) into a canonical provider address; a host-less address
 * means `defaultHost` (terraform's registry.terraform.io unless the caller reads it for another client).
 */
export function parseProviderAddress(input: string, defaultHost = DEFAULT_REGISTRY_HOST): ProviderAddress {
  const parts = input.trim().split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === "")) {
    throw new LarderError(
      "invalid_input",
      `Invalid provider address "${input}": expected NAMESPACE/TYPE or HOST/NAMESPACE/TYPE, e.g. hashicorp/aws.`,
    );
  }
  const [host, namespace, type] = parts.length === 3 ? parts : [defaultHost, ...parts];
  if (host === undefined || namespace === undefined || type === undefined) {
    throw new LarderError("invalid_input", `Invalid provider address "${input}".`);
  }
  if (type.startsWith("terraform-provider-")) {
    throw new LarderError(
      "invalid_input",
      `Invalid provider address "${input}": the type is "${type.slice("terraform-provider-".length)}", without the terraform-provider- prefix.`,
    );
  }
  return {
    host: normalizeHostname(host),
    namespace: normalizeProviderPart(namespace, "namespace"),
    type: normalizeProviderPart(type, "type"),
  };
}

/** The address as terraform prints it: `host/namespace/type`. */
export function formatProviderAddress(address: ProviderAddress): string {
  return `${address.host}/${address.namespace}/${address.type}`;
}
