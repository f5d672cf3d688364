import type { Statement } from "better-sqlite3";
import type { CatalogEntry, CatalogKind, CatalogVersion } from "../core/catalog.js";
import type { CatalogHit, CatalogQuery } from "../core/catalog-query.js";
import type { Db } from "./connection.js";
import {
  storedSystem,
  toEntryFields,
  toHit,
  type CatalogEntryRow,
  type CatalogHitRow,
} from "./catalog-rows.js";
import { catalogSearchSql } from "./catalog-search-sql.js";

/** Where one catalog source (a registry's providers or its modules) stands, so a refresh can resume. */
export interface CatalogSourceState {
  readonly host: string;
  readonly kind: CatalogKind;
  /** ISO 8601 times of the last refresh's start and of the last one that finished. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** The ETag of the last full answer, for a conditional request. */
  readonly etag: string | null;
  /** Where an interrupted refresh carries on (a page number, an offset), as the source writes it. */
  readonly cursor: string | null;
  /** Why the last refresh failed, for display; null once one succeeds. */
  readonly lastError: string | null;
}

/** A cached entry with when it was written and when its source was last refreshed. */
export interface StoredCatalogEntry extends CatalogEntry {
  readonly updatedAt: string;
  readonly refreshedAt: string | null;
}

interface SourceRow {
  host: string;
  kind: CatalogKind;
  started_at: string | null;
  finished_at: string | null;
  etag: string | null;
  resume_cursor: string | null;
  last_error: string | null;
}

/** All SQL about the catalog cache: entries, their versions, the full-text index and the sources' state. */
export class CatalogRepository {
  /** Prepared statements by SQL text: a search compiles once per query shape, not once per keystroke. */
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  private statement<P extends unknown[], R>(sql: string): Statement<P, R> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared as Statement<P, R>;
  }

  /**
   * Writes a page of entries as one transaction, stamping each with `at` (the refresh's start, which
   * removeMissing compares with). An entry already cached under any case of its address is updated, taking the
   * new spelling. Versions are replaced when the entry has them and kept when it has `versions: null`, since
   * most catalog listings give only the latest version.
   */
  upsertEntries(entries: readonly CatalogEntry[], at: string): void {
    this.db
      .transaction(() => {
        const upsert = this.statement<[Record<string, string | number | null>], { id: number }>(
          `INSERT INTO catalog_entries (host, kind, namespace, name, system, description, tier, verified,
             popularity, source, latest_version, versions_known, updated_at)
           VALUES (@host, @kind, @namespace, @name, @system, @description, @tier, @verified, @popularity, @source,
             @latestVersion, @versionsKnown, @at)
           ON CONFLICT (host, kind, namespace, name, system) DO UPDATE SET
             host = excluded.host, namespace = excluded.namespace, name = excluded.name, system = excluded.system,
             description = excluded.description, tier = excluded.tier, verified = excluded.verified,
             popularity = excluded.popularity, source = excluded.source, latest_version = excluded.latest_version,
             versions_known = max(versions_known, excluded.versions_known), updated_at = excluded.updated_at
           RETURNING id`,
        );
        for (const entry of entries) {
          const row = upsert.get({
            host: entry.host,
            kind: entry.kind,
            namespace: entry.namespace,
            name: entry.name,
            system: storedSystem(entry.system),
            description: entry.description,
            tier: entry.tier,
            verified: entry.verified ? 1 : 0,
            popularity: entry.popularity,
            source: entry.source,
            latestVersion: entry.latestVersion,
            versionsKnown: entry.versions === null ? 0 : 1,
            at,
          });
          if (row && entry.versions !== null) this.replaceVersions(row.id, entry.versions);
        }
      })
      .immediate();
  }

  private replaceVersions(entryId: number, versions: readonly CatalogVersion[]): void {
    this.statement("DELETE FROM catalog_versions WHERE entry_id = ?").run(entryId);
    // A source listing a version twice keeps its first (newest-first) mention rather than failing the page.
    const insert = this.statement(
      "INSERT OR IGNORE INTO catalog_versions (entry_id, version, published_at, position) VALUES (?, ?, ?, ?)",
    );
    versions.forEach((version, position) =>
      insert.run(entryId, version.version, version.publishedAt, position),
    );
  }

  /**
   * After a full refresh of one source that started at `keepSince`: deletes its entries that refresh did not
   * write (the registry no longer lists them), with their versions. Returns how many went.
   */
  removeMissing(host: string, kind: CatalogKind, keepSince: string): number {
    return this.statement<[string, CatalogKind, string], never>(
      "DELETE FROM catalog_entries WHERE host = ? AND kind = ? AND updated_at < ?",
    ).run(host, kind, keepSince).changes;
  }

  /** The source's refresh state, or undefined before its first refresh. */
  sourceState(host: string, kind: CatalogKind): CatalogSourceState | undefined {
    const row = this.statement<[string, CatalogKind], SourceRow>(
      "SELECT * FROM catalog_sources WHERE host = ? AND kind = ?",
    ).get(host, kind);
    return (
      row && {
        host: row.host,
        kind: row.kind,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        etag: row.etag,
        cursor: row.resume_cursor,
        lastError: row.last_error,
      }
    );
  }

  /** Records the source's refresh state, replacing what was there. */
  saveSourceState(state: CatalogSourceState): void {
    this.statement(
      `INSERT INTO catalog_sources (host, kind, started_at, finished_at, etag, resume_cursor, last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (host, kind) DO UPDATE SET started_at = excluded.started_at,
         finished_at = excluded.finished_at, etag = excluded.etag, resume_cursor = excluded.resume_cursor,
         last_error = excluded.last_error`,
    ).run(
      state.host,
      state.kind,
      state.startedAt,
      state.finishedAt,
      state.etag,
      state.cursor,
      state.lastError,
    );
  }

  /** Ranked results for a query (see catalogSearchSql for the order); the inventory is joined by the engine. */
  search(query: CatalogQuery): CatalogHit[] {
    if (query.hosts?.length === 0) return [];
    const { sql, params } = catalogSearchSql(query);
    return this.statement<[Record<string, string | number>], CatalogHitRow>(sql).all(params).map(toHit);
  }

  /** One cached entry, case-insensitively, with its versions (null when never fetched), or undefined. */
  entry(
    host: string,
    kind: CatalogKind,
    namespace: string,
    name: string,
    system: string | null,
  ): StoredCatalogEntry | undefined {
    const row = this.statement<
      [string, CatalogKind, string, string, string],
      CatalogEntryRow & { refreshed_at: string | null }
    >(
      `SELECT e.*, s.finished_at AS refreshed_at FROM catalog_entries e
       LEFT JOIN catalog_sources s ON s.host = e.host AND s.kind = e.kind
       WHERE e.host = ? AND e.kind = ? AND e.namespace = ? AND e.name = ? AND e.system = ?`,
    ).get(host, kind, namespace, name, storedSystem(system));
    if (!row) return undefined;
    const versions =
      row.versions_known === 1
        ? this.statement<[number], { version: string; published_at: string | null }>(
            "SELECT version, published_at FROM catalog_versions WHERE entry_id = ? ORDER BY position",
          )
            .all(row.id)
            .map((version) => ({ version: version.version, publishedAt: version.published_at }))
        : null;
    return { ...toEntryFields(row), versions, updatedAt: row.updated_at, refreshedAt: row.refreshed_at };
  }
}
