import {
  parseCatalogText,
  prefixBound,
  type AddressPattern,
  type CatalogQuery,
} from "../core/catalog-query.js";

/** One search as SQL and its named parameters; the SQL text depends only on the query's shape, so it caches. */
export interface CatalogSearchSql {
  readonly sql: string;
  readonly params: Record<string, string | number>;
}

// Band 2 weighs a word in the name above one in the namespace, above the system and the description.
const BM25 = "bm25(catalog_fts, 4.0, 8.0, 2.0, 1.0)";
const COLUMNS = "e.*, s.finished_at AS refreshed_at";
const SOURCE_JOIN = "LEFT JOIN catalog_sources s ON s.host = e.host AND s.kind = e.kind";

/**
 * The exact (band 0) and prefix (band 1) selects for an address pattern. Each shape gets its own SQL so every
 * select is a plain indexed lookup: `name = ?`, `namespace = ? AND name >= ? AND name < ?`, and so on. Columns
 * are NOCASE, so these comparisons fold case like the registries do.
 */
function addressBands(address: AddressPattern, params: Record<string, string | number>): string[] {
  const select = (band: number, where: string): string =>
    `SELECT e.id, ${band} AS band, 0.0 AS score FROM catalog_entries e WHERE ${where}`;
  params.name = address.name;
  params.nameEnd = prefixBound(address.name);
  if (address.namespace === null) {
    return [
      select(0, "name = @name"),
      select(1, "name >= @name AND name < @nameEnd"),
      select(1, "namespace >= @name AND namespace < @nameEnd"),
    ];
  }
  params.namespace = address.namespace;
  if (address.system === null) {
    return [
      select(0, "namespace = @namespace AND name = @name"),
      select(1, "namespace = @namespace AND name >= @name AND name < @nameEnd"),
    ];
  }
  params.system = address.system;
  params.systemEnd = prefixBound(address.system);
  return [
    select(0, "namespace = @namespace AND name = @name AND system = @system"),
    select(1, "namespace = @namespace AND name = @name AND system >= @system AND system < @systemEnd"),
  ];
}

/** The filters every band shares; only those the query sets appear, so the planner sees no `? IS NULL OR`. */
function filters(
  query: CatalogQuery,
  host: string | null,
  params: Record<string, string | number>,
): string[] {
  const where: string[] = [];
  if (query.hosts !== undefined) {
    params.hosts = JSON.stringify(query.hosts);
    where.push("e.host IN (SELECT value FROM json_each(@hosts))");
  }
  if (host !== null) {
    params.host = host;
    where.push("e.host = @host");
  }
  if (query.kind !== undefined) {
    params.kind = query.kind;
    where.push("e.kind = @kind");
  }
  if (query.tier !== undefined) {
    params.tier = query.tier;
    where.push("e.tier = @tier COLLATE NOCASE");
  }
  return where;
}

/**
 * Builds the search: exact matches of the address or name first, then prefix matches, then full-text matches,
 * each band by popularity (the order), full-text ties by bm25. An entry in several bands counts in its
 * best. Empty text lists every entry by popularity.
 */
export function catalogSearchSql(query: CatalogQuery): CatalogSearchSql {
  const parsed = parseCatalogText(query.text);
  const limit = Math.max(0, Math.floor(query.limit));
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const params: Record<string, string | number> = { limit, offset };
  const where = filters(query, parsed.host, params);
  const whereSql = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  const order = "e.host, e.kind, e.namespace, e.name, e.system";
  if (query.text.trim() === "") {
    return {
      sql: `SELECT ${COLUMNS}, 3 AS band FROM catalog_entries e ${SOURCE_JOIN} ${whereSql}
            ORDER BY e.popularity DESC, ${order} LIMIT @limit OFFSET @offset`,
      params,
    };
  }
  params.top = limit + offset;
  // Each band keeps only its best `limit + offset`, filtered and by popularity, before the bands are merged: a
  // common word matches thousands of rows, and merging (and scoring) all of them would cost most of a search.
  // This is exact, because the page never needs more of a band than that.
  const filtered = where.length === 0 ? "" : ` AND ${where.join(" AND ")}`;
  const top = (select: string, order: string): string =>
    `SELECT * FROM (${select}${filtered} ORDER BY ${order} LIMIT @top)`;
  const bands = (parsed.address === null ? [] : addressBands(parsed.address, params)).map((select) =>
    top(select, "e.popularity DESC"),
  );
  if (parsed.fts !== null) {
    params.fts = parsed.fts;
    bands.push(
      top(
        `SELECT e.id, 2 AS band, ${BM25} AS score FROM catalog_fts JOIN catalog_entries e ON e.id = catalog_fts.rowid
         WHERE catalog_fts MATCH @fts`,
        "e.popularity DESC, score",
      ),
    );
  }
  // MATERIALIZED: flattened into the grouping below, bm25 would run outside its FTS scan, which SQLite refuses.
  // Text with neither an address shape nor a word (`"`, `-`, `***`) matches nothing.
  if (bands.length === 0) bands.push("SELECT NULL AS id, 0 AS band, 0.0 AS score WHERE 0");
  return {
    sql: `WITH hits AS MATERIALIZED (${bands.join(" UNION ALL ")}),
          best AS (SELECT id, min(band) AS band, min(score) AS score FROM hits GROUP BY id)
          SELECT ${COLUMNS}, b.band FROM best b JOIN catalog_entries e ON e.id = b.id ${SOURCE_JOIN}
          ORDER BY b.band, e.popularity DESC, b.score, ${order} LIMIT @limit OFFSET @offset`,
    params,
  };
}
