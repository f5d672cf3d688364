import type { Db } from "./connection.js";

/** Where a cached size came from: the registry's download answer, or a `HEAD` on its download_url. */
export type PackageSizeSource = "registry" | "head";

/** One cached estimate of a provider package's archive size. */
export interface PackageSizeRecord {
  readonly version: string;
  readonly os: string;
  readonly arch: string;
  readonly size: number;
  readonly source: PackageSizeSource;
  /** ISO 8601. */
  readonly fetchedAt: string;
}

/** Names a provider whose sizes are cached. */
export interface PackageSizeProvider {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

interface Row {
  version: string;
  os: string;
  arch: string;
  size: number;
  source: PackageSizeSource;
  fetched_at: string;
}

/** The `package_sizes` table: estimated archive sizes of provider packages (migration 010). */
export class PackageSizeRepository {
  constructor(private readonly db: Db) {}

  /** Every cached size of one provider, any version. */
  sizesOf(provider: PackageSizeProvider): PackageSizeRecord[] {
    return this.db
      .prepare<[string, string, string], Row>(
        `SELECT version, os, arch, size, source, fetched_at FROM package_sizes
         WHERE host = ? AND namespace = ? AND type = ?`,
      )
      .all(provider.host, provider.namespace, provider.type)
      .map((row) => ({
        version: row.version,
        os: row.os,
        arch: row.arch,
        size: row.size,
        source: row.source,
        fetchedAt: row.fetched_at,
      }));
  }

  /** Records (or replaces) one estimate. */
  put(provider: PackageSizeProvider, record: PackageSizeRecord): void {
    this.db
      .prepare(
        `INSERT INTO package_sizes (host, namespace, type, version, os, arch, size, source, fetched_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (host, namespace, type, version, os, arch)
         DO UPDATE SET size = excluded.size, source = excluded.source, fetched_at = excluded.fetched_at`,
      )
      .run(
        provider.host,
        provider.namespace,
        provider.type,
        record.version,
        record.os,
        record.arch,
        record.size,
        record.source,
        record.fetchedAt,
      );
  }

  /** Drops the sizes of versions the registry no longer lists (the only way a published size goes stale). */
  keepOnlyVersions(provider: PackageSizeProvider, versions: readonly string[]): number {
    const listed = JSON.stringify(versions);
    return this.db
      .prepare(
        `DELETE FROM package_sizes WHERE host = ? AND namespace = ? AND type = ?
         AND version NOT IN (SELECT value FROM json_each(?))`,
      )
      .run(provider.host, provider.namespace, provider.type, listed).changes;
  }
}
