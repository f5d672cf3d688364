import { LarderError } from "./errors.js";
import { normalizeHostname } from "./hostname.js";
import { DEFAULT_REGISTRY_HOST } from "./provider-address.js";

/** A module registry address. Namespace and name keep their case, as clients send them. */
export interface ModuleAddress {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
}

/** A registry address with the optional `//subdir` a caller named. */
export interface ModuleAddressWithSubdir {
  readonly address: ModuleAddress;
  readonly subdir: string;
}

// terraform-registry-address module.go.
const NAME_PART = /^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$/;
const SYSTEM_PART = /^[0-9a-z]{1,64}$/;
const RESERVED_HOSTS = new Set(["github.com", "bitbucket.org"]);

/**
 * Parses `[HOST/]NAMESPACE/NAME/SYSTEM[//SUBDIR]` as terraform does for registry module sources; throws a
 * LarderError with the reason otherwise. `defaultHost` is what a host-less address means.
 */
export function parseModuleAddress(
  input: string,
  defaultHost = DEFAULT_REGISTRY_HOST,
): ModuleAddressWithSubdir {
  const result = tryParseModuleAddress(input, defaultHost);
  if (typeof result === "string") {
    throw new LarderError("invalid_input", `Invalid module address "${input}": ${result}`);
  }
  return result;
}

/** Like parseModuleAddress, but returns the reason as a string instead of throwing (for source sniffing). */
export function tryParseModuleAddress(
  input: string,
  defaultHost = DEFAULT_REGISTRY_HOST,
): ModuleAddressWithSubdir | string {
  const trimmed = input.trim();
  if (trimmed.includes("?")) return "a registry address has no query string.";
  const [path = "", ...rest] = trimmed.split("//");
  const subdir = rest.join("//").replace(/^\/+|\/+$/g, "");
  const parts = path.split("/");
  if (parts.length !== 3 && parts.length !== 4) {
    return "expected NAMESPACE/NAME/SYSTEM or HOST/NAMESPACE/NAME/SYSTEM, e.g. terraform-aws-modules/vpc/aws.";
  }
  const [hostPart, namespace, name, system] = parts.length === 4 ? parts : [undefined, ...parts];
  if (namespace === undefined || name === undefined || system === undefined) return "it is incomplete.";
  let host = defaultHost;
  if (hostPart !== undefined) {
    try {
      host = normalizeHostname(hostPart);
    } catch {
      return `"${hostPart}" is not a valid host name.`;
    }
    // terraform treats `localhost:8443/…` as a go-getter source, not a registry: a registry host needs a dot.
    if (!host.split(":")[0]?.includes(".")) return `the registry host "${hostPart}" must contain a dot.`;
    if (RESERVED_HOSTS.has(host)) return `${host} is not a module registry; use a git source instead.`;
  }
  if (!NAME_PART.test(namespace)) return `"${namespace}" is not a valid namespace.`;
  if (!NAME_PART.test(name)) return `"${name}" is not a valid module name.`;
  if (!SYSTEM_PART.test(system))
    return `"${system}" is not a valid target system (lower-case letters and digits).`;
  if (subdir.split("/").includes("..")) return "the subdirectory may not contain '..'.";
  return { address: { host, namespace, name, system }, subdir };
}

/** Whether a registry address names no host (`acme/network/aws`), so that its host depends on the client. */
export function isHostlessModuleAddress(input: string): boolean {
  const [path = ""] = input.trim().split("//");
  return path.split("/").length === 3;
}

/** `host/namespace/name/system`, for messages and listings. */
export function formatModuleAddress(address: ModuleAddress): string {
  return `${address.host}/${address.namespace}/${address.name}/${address.system}`;
}
