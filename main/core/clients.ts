import { LarderError } from "./errors.js";
import { DEFAULT_REGISTRY_HOST } from "./provider-address.js";

/** The registry clients a mirror serves. Each reads a host-less address against its own default host. */
export type RegistryClient = "terraform" | "tofu";

/** Every client, in the order they are listed and defaulted to. */
export const REGISTRY_CLIENTS: readonly RegistryClient[] = ["terraform", "tofu"];

/** OpenTofu's default registry, and the only host whose keyless providers tofu installs (protocol doc §2.3). */
export const OPENTOFU_REGISTRY_HOST = "registry.opentofu.org";

/**
 * The host a host-less address (`hashicorp/aws`) means to a client: a property of the client, never of the module
 * that names it (protocol doc §6.3, observed with tofu 1.6.2).
 */
export function defaultHostOf(client: RegistryClient): string {
  return client === "tofu" ? OPENTOFU_REGISTRY_HOST : DEFAULT_REGISTRY_HOST;
}

/** The default hosts of a set of clients, without repeats, in client order. */
export function defaultHostsOf(clients: readonly RegistryClient[]): string[] {
  return [...new Set(clients.map(defaultHostOf))];
}

/** Parses `--for` values; an empty list means every client. */
export function parseClients(values: readonly string[]): RegistryClient[] {
  if (values.length === 0) return [...REGISTRY_CLIENTS];
  const clients = values.map((value) => {
    const client = REGISTRY_CLIENTS.find((known) => known === value.trim().toLowerCase());
    if (!client) {
      // Not "--for takes …": the same values come from LARDER_CLIENTS and `larder config set clients`.
      throw new LarderError(
        "invalid_input",
        `Unknown client "${value}": the clients are ${REGISTRY_CLIENTS.join(" and ")}.`,
      );
    }
    return client;
  });
  return REGISTRY_CLIENTS.filter((client) => clients.includes(client));
}

/**
 * The hosts an address typed or written without a host stands for, one per client the mirror serves; an address
 * with a host stands for that host only.
 */
export function hostsFor(
  hostless: boolean,
  explicitHost: string,
  clients: readonly RegistryClient[],
): string[] {
  return hostless ? defaultHostsOf(clients) : [explicitHost];
}

/** Which of the clients read a host-less address as `host` (for messages: "for tofu"). */
export function clientsOfHost(host: string, clients: readonly RegistryClient[]): RegistryClient[] {
  return clients.filter((client) => defaultHostOf(client) === host);
}
