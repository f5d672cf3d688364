import { REGISTRY_CLIENTS, defaultHostsOf } from "../core/clients.js";
import { LarderError } from "../core/errors.js";
import { parseModuleAddress } from "../core/module-address.js";
import { parseProviderAddress } from "../core/provider-address.js";

/**
 * A stored provider or module named on the command line, with the hosts it may be stored under. `ns/type` and
 * `host/ns/type` are providers, `ns/name/system` and `host/ns/name/system` modules: a three-part address is a
 * provider when its first part has a dot (a registry host always does), else a module.
 */
export type StoredAddress =
  | {
      readonly kind: "provider";
      readonly namespace: string;
      readonly type: string;
      readonly hosts: readonly string[];
    }
  | {
      readonly kind: "module";
      readonly namespace: string;
      readonly name: string;
      readonly system: string;
      readonly hosts: readonly string[];
    };

/**
 * Parses the address. A host-less one stands for every default host (registry.terraform.io and
 * registry.opentofu.org), whatever the clients setting says now: it may have been mirrored under either.
 */
export function parseStoredAddress(input: string): StoredAddress {
  const parts = input.trim().split("/");
  const isProvider = parts.length === 2 || (parts.length === 3 && parts[0]?.includes(".") === true);
  const hostless = parts.length === (isProvider ? 2 : 3);
  const defaults = defaultHostsOf(REGISTRY_CLIENTS);
  if (isProvider) {
    const address = parseProviderAddress(input);
    return {
      kind: "provider",
      namespace: address.namespace,
      type: address.type,
      hosts: hostless ? defaults : [address.host],
    };
  }
  if (parts.length !== 3 && parts.length !== 4) {
    throw new LarderError(
      "invalid_input",
      `Invalid address "${input}": expected a provider (NAMESPACE/TYPE, HOST/NAMESPACE/TYPE) or a module (NAMESPACE/NAME/SYSTEM, HOST/NAMESPACE/NAME/SYSTEM).`,
    );
  }
  if (input.includes("//")) {
    throw new LarderError("invalid_input", `Invalid address "${input}": a stored module has no //subdir.`);
  }
  const { address } = parseModuleAddress(input);
  return {
    kind: "module",
    namespace: address.namespace,
    name: address.name,
    system: address.system,
    hosts: hostless ? defaults : [address.host],
  };
}
