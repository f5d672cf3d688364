import { BlockList, isIP } from "node:net";
import { domainToASCII } from "node:url";
import { LarderError } from "../../core/errors.js";

/** A name the HTTPS certificate answers to: a DNS name or an IP address. */
export type TlsName =
  { readonly type: "dns"; readonly value: string } | { readonly type: "ip"; readonly value: string };

/** What the loopback listener is reached by; Go has no CN fallback, so each must be a SAN. */
export const LOOPBACK_NAMES: readonly TlsName[] = [
  { type: "dns", value: "localhost" },
  { type: "ip", value: "127.0.0.1" },
  { type: "ip", value: "::1" },
];

/**
 * What a name-constrained CA permits besides the names given with `--tls-name`: localhost (and its subdomains,
 * as a dNSName constraint does), 127.0.0.0/8 and ::1.
 */
export const LOOPBACK_SUBTREES: readonly TlsName[] = [
  { type: "dns", value: "localhost" },
  { type: "ip", value: "127.0.0.0/8" },
  { type: "ip", value: "::1/128" },
];

/** Parses a `--tls-name` value: a host name (IDNA to ASCII, lower case) or an IPv4/IPv6 address. */
export function parseTlsName(input: string): TlsName {
  const trimmed = input.trim().replace(/^\[(.*)\]$/, "$1");
  if (isIP(trimmed) !== 0) return { type: "ip", value: trimmed.toLowerCase() };
  const ascii = /^[^\s/:*]+$/.test(trimmed) ? domainToASCII(trimmed) : "";
  if (ascii === "" || ascii.split(".").some((label) => label === "" || label.length > 63)) {
    throw new LarderError(
      "invalid_input",
      `Invalid --tls-name "${input}": use a host name such as mirror.example.lan or an IP address such as 192.168.1.20 (no wildcards, ports or URLs).`,
    );
  }
  return { type: "dns", value: ascii.toLowerCase() };
}

/** The certificate's names: loopback first, then the extra ones, each once. */
export function leafNames(extra: readonly TlsName[]): TlsName[] {
  const seen = new Set<string>();
  return [...LOOPBACK_NAMES, ...extra].filter((name) => {
    const key = `${name.type}:${name.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a name falls within a CA's permitted subtrees (RFC 5280 §4.2.1.10, as Go and OpenSSL apply them). */
export function isPermitted(name: TlsName, subtrees: readonly TlsName[]): boolean {
  if (name.type === "dns") {
    return subtrees.some(
      (tree) => tree.type === "dns" && (name.value === tree.value || name.value.endsWith(`.${tree.value}`)),
    );
  }
  const family = isIP(name.value) === 6 ? "ipv6" : "ipv4";
  return subtrees.some((tree) => {
    if (tree.type !== "ip") return false;
    const [address = "", prefix = ""] = tree.value.split("/");
    const treeFamily = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (treeFamily !== family) return false;
    const list = new BlockList();
    list.addSubnet(address, Number(prefix), treeFamily);
    return list.check(name.value, family);
  });
}

/** The subtree a `--tls-name` adds to a new CA's constraints: the name itself, or one address. */
export function subtreeOf(name: TlsName): TlsName {
  if (name.type === "dns") return name;
  return { type: "ip", value: `${name.value}/${isIP(name.value) === 6 ? 128 : 32}` };
}
