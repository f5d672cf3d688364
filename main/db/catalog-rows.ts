import { catalogAddress, type CatalogEntry, type CatalogKind } from "../core/catalog.js";
import type { CatalogHit, CatalogMatch } from "../core/catalog-query.js";

/** A catalog_entries row as SQLite returns it. */
export interface CatalogEntryRow {
  id: number;
  host: string;
  kind: CatalogKind;
  namespace: string;
  name: string;
  system: string;
  description: string;
  tier: string | null;
  verified: number;
  popularity: number;
  source: string | null;
  latest_version: string | null;
  versions_known: number;
  updated_at: string;
}

/** An entry row joined with its source's last refresh and the band the search put it in. */
export interface CatalogHitRow extends CatalogEntryRow {
  refreshed_at: string | null;
  band: number;
}

const MATCH_BY_BAND: readonly CatalogMatch[] = ["exact", "prefix", "text", "all"];

/** Providers are stored with system '' (see migration 009); everyone outside main/db sees null. */
export function storedSystem(system: string | null): string {
  return system ?? "";
}

function systemOf(row: CatalogEntryRow): string | null {
  return row.kind === "provider" ? null : row.system;
}

/** The entry's own fields, without versions. */
export function toEntryFields(row: CatalogEntryRow): Omit<CatalogEntry, "versions"> {
  return {
    host: row.host,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    system: systemOf(row),
    description: row.description,
    tier: row.tier,
    verified: row.verified === 1,
    popularity: row.popularity,
    source: row.source,
    latestVersion: row.latest_version,
  };
}

/** A search result row as the engine sees it. */
export function toHit(row: CatalogHitRow): CatalogHit {
  const fields = toEntryFields(row);
  return {
    host: fields.host,
    kind: fields.kind,
    namespace: fields.namespace,
    name: fields.name,
    system: fields.system,
    address: catalogAddress(fields),
    description: fields.description,
    tier: fields.tier,
    verified: fields.verified,
    popularity: fields.popularity,
    source: fields.source,
    latestVersion: fields.latestVersion,
    match: MATCH_BY_BAND[row.band] ?? "text",
    updatedAt: row.updated_at,
    refreshedAt: row.refreshed_at,
  };
}
