import type { CatalogKind } from "./catalog.js";

/** A search of the catalog cache, as the engine asks it (the inventory is joined later, by the engine). */
export interface CatalogQuery {
  /** What the person typed; "" lists everything by popularity. */
  readonly text: string;
  /** Only these registry hosts; absent: every host. An empty list matches nothing. */
  readonly hosts?: readonly string[];
  readonly kind?: CatalogKind;
  /** Only this provider tier (`official`, `partner`, `community`); modules have none, so none match. */
  readonly tier?: string;
  readonly limit: number;
  readonly offset?: number;
}

/**
 * Why a hit ranks where it does: `exact` (the address or the name is the text), `prefix` (the address, namespace
 * or name starts with it), `text` (full-text words), `all` (an empty query). Bands rank in this order.
 */
export type CatalogMatch = "exact" | "prefix" | "text" | "all";

/** One search result, freshest facts from the catalog cache. */
export interface CatalogHit {
  readonly host: string;
  readonly kind: CatalogKind;
  readonly namespace: string;
  readonly name: string;
  readonly system: string | null;
  /** `namespace/name` or `namespace/name/system`. */
  readonly address: string;
  readonly description: string;
  readonly tier: string | null;
  readonly verified: boolean;
  readonly popularity: number;
  readonly source: string | null;
  readonly latestVersion: string | null;
  readonly match: CatalogMatch;
  /** When a refresh (or a lookup by address) last wrote this entry. */
  readonly updatedAt: string;
  /** When its source's last refresh finished, or null when none has (a private registry looked up by address). */
  readonly refreshedAt: string | null;
}

/** The parts of an address-shaped query, compared with stored entries exactly and by prefix. */
export interface AddressPattern {
  /** Null for a bare word: it is compared with names and namespaces. */
  readonly namespace: string | null;
  readonly name: string;
  /** A module's system, when the text has three parts. */
  readonly system: string | null;
}

/** A query's text taken apart for the three ranking bands. */
export interface ParsedCatalogText {
  /** The host of `registry.example.com/team/net/aws`, else null. */
  readonly host: string | null;
  /** Null when the text is not shaped like an address (spaces, too many parts): only full-text search applies. */
  readonly address: AddressPattern | null;
  /** An FTS5 MATCH expression built from the text's words, or null when it has none. */
  readonly fts: string | null;
}

/** Words beyond this many add nothing to a search but cost; a pasted paragraph must not become a huge query. */
const MAX_TERMS = 12;

// Letters, digits and combining marks: what FTS5's unicode61 tokenizer keeps as token characters.
const TERM = /[\p{L}\p{N}\p{M}]+/gu;
// A registry namespace, name or system: no spaces or slashes; dots only in a host.
const PART = /^[^\s/]+$/u;

/**
 * Builds the FTS5 expression for user text. Every word is quoted, so FTS syntax the person typed (`"`, `*`, `-`,
 * `:`, `OR`, `NEAR(`, column filters) is searched for as words and can never make the query invalid. Words are
 * ANDed; the last is a prefix, so results follow the typing.
 */
export function ftsExpression(text: string): string | null {
  const terms = (text.match(TERM) ?? []).slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((term, index) => `"${term}"${index === terms.length - 1 ? "*" : ""}`).join(" ");
}

/**
 * Splits the text of a search into an optional host, an address pattern and a full-text expression:
 * `aws`, `hashicorp/aws`, `terraform-aws-modules/vpc/aws`, `registry.terraform.io/hashicorp/aws`.
 */
export function parseCatalogText(text: string): ParsedCatalogText {
  const trimmed = text.trim();
  if (trimmed === "") return { host: null, address: null, fts: null };
  const parts = trimmed.split("/");
  // Namespaces never hold a dot and hosts always do: a dotted first part followed by more is the registry.
  const host = parts.length >= 2 && parts[0]?.includes(".") ? (parts.shift() ?? null) : null;
  // The host's words are no catalog text: `registry`, `io` would match nothing and, ANDed, hide every hit.
  const fts = ftsExpression(parts.join(" "));
  const last = parts.at(-1) ?? "";
  const shaped =
    parts.length <= 3 &&
    parts.slice(0, -1).every((part) => PART.test(part)) &&
    // A trailing slash (`hashicorp/`) is an empty prefix of the name; a bare empty word is nothing.
    (last === "" ? parts.length > 1 : PART.test(last));
  if (!shaped) return { host, address: null, fts };
  const [first = "", second = "", third = ""] = parts;
  const address: AddressPattern =
    parts.length === 1
      ? { namespace: null, name: first, system: null }
      : parts.length === 2
        ? { namespace: first, name: second, system: null }
        : { namespace: first, name: second, system: third };
  return { host, address, fts };
}

/**
 * A string above every string starting with `prefix` (U+10FFFF sorts last), so `x >= prefix AND x < bound` is a
 * prefix test an index can answer, where LIKE would need its `%` and `_` (common in names) escaped and may scan.
 */
export function prefixBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
