import { LarderError } from "../core/errors.js";
import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.js";

/** Coordinates of one provider version. */
export interface ReleaseKey {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

/** A release as stored: the upstream's signed checksums and keys, kept verbatim. */
export interface ReleaseRecord extends ReleaseKey {
  readonly shasumsBlob: string;
  readonly signatureBlob: string;
  readonly signingKeysJson: string;
  /** The key that made the verified signature; "" when the release is unsigned. */
  readonly verifiedKeyId: string;
  /**
   * False for a keyless registry.opentofu.org provider stored after the checksum checks alone (tofu's rule); its
   * SHA256SUMS signature was fetched and is served back, but nothing checked it.
   */
  readonly signed: boolean;
  readonly shasumsUrl: string;
  readonly signatureUrl: string;
}

/** One platform's verified archive of a release. */
export interface PackageRecord {
  readonly os: string;
  readonly arch: string;
  readonly filename: string;
  readonly protocols: readonly string[];
  readonly archiveBlob: string;
  readonly size: number;
  readonly h1: string;
  readonly downloadUrl: string;
}

/** A package together with its release, as the serving side needs it. */
export interface StoredPackage extends PackageRecord {
  readonly release: ReleaseRecord;
}

/** One stored platform of a provider version, as the `versions` listing needs it and nothing more. */
export interface ListedPlatform {
  readonly version: string;
  readonly os: string;
  readonly arch: string;
  readonly protocols: readonly string[];
}

/** A blob referenced by a new package, recorded in the same transaction. */
export interface BlobRecord {
  readonly sha256: string;
  readonly size: number;
}

interface ReleaseRow {
  id: number;
  host: string;
  namespace: string;
  type: string;
  version: string;
  shasums_blob: string;
  signature_blob: string;
  signing_keys_json: string;
  verified_key_id: string;
  signed: number;
  shasums_url: string;
  signature_url: string;
}

interface PackageRow {
  os: string;
  arch: string;
  filename: string;
  protocols_json: string;
  archive_blob: string;
  size: number;
  h1: string;
  download_url: string;
}

/** Summary row for inventory listings. */
export interface ProviderVersionSummary extends ReleaseKey {
  readonly platforms: readonly string[];
  readonly signed: boolean;
  readonly totalSize: number;
}

function toRelease(row: ReleaseRow): ReleaseRecord {
  return {
    host: row.host,
    namespace: row.namespace,
    type: row.type,
    version: row.version,
    shasumsBlob: row.shasums_blob,
    signatureBlob: row.signature_blob,
    signingKeysJson: row.signing_keys_json,
    verifiedKeyId: row.verified_key_id,
    signed: row.signed === 1,
    shasumsUrl: row.shasums_url,
    signatureUrl: row.signature_url,
  };
}

function toPackage(row: PackageRow): PackageRecord {
  return {
    os: row.os,
    arch: row.arch,
    filename: row.filename,
    protocols: JSON.parse(row.protocols_json) as string[],
    archiveBlob: row.archive_blob,
    size: row.size,
    h1: row.h1,
    downloadUrl: row.download_url,
  };
}

const PACKAGE_COLUMNS =
  "p.os, p.arch, p.filename, p.protocols_json, p.archive_blob, p.size, p.h1, p.download_url";
const RELEASE_WHERE = "r.host = ? AND r.namespace = ? AND r.type = ?";

/** All SQL about provider releases and packages. */
export class ProviderRepository {
  /**
   * Prepared statements by SQL text. Preparing compiles the SQL, and every metadata request runs one of these:
   * compiling it once per process instead of once per request keeps the serving path to running the query.
   */
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

  /** The release row, if any platform of it was ever stored. */
  findRelease(key: ReleaseKey): ReleaseRecord | undefined {
    const row = this.statement<[string, string, string, string], ReleaseRow>(
      `SELECT r.* FROM provider_releases r WHERE ${RELEASE_WHERE} AND r.version = ?`,
    ).get(key.host, key.namespace, key.type, key.version);
    return row && toRelease(row);
  }

  /**
   * The `h1:` already recorded for an archive blob by any package (any host, version or platform), so storing the
   * same zip again under another coordinate need not re-read it; undefined when no package references it.
   */
  findArchiveH1(archiveSha256: string): string | undefined {
    return this.statement<[string], { h1: string }>(
      "SELECT h1 FROM provider_packages WHERE archive_blob = ? LIMIT 1",
    ).get(archiveSha256)?.h1;
  }

  /** Every stored package of a provider, grouped by the caller; ordered by version then platform. */
  listPackages(host: string, namespace: string, type: string): StoredPackage[] {
    const rows = this.statement<[string, string, string], ReleaseRow & PackageRow & { release_id: number }>(
      `SELECT r.*, ${PACKAGE_COLUMNS} FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
         WHERE ${RELEASE_WHERE} ORDER BY r.version, p.os, p.arch`,
    ).all(host, namespace, type);
    return rows.map((row) => ({ ...toPackage(row), release: toRelease(row) }));
  }

  /** Every stored package with its release, ordered by provider, version and platform (for bundle export). */
  allPackages(): StoredPackage[] {
    const rows = this.statement<[], ReleaseRow & PackageRow>(
      `SELECT r.*, ${PACKAGE_COLUMNS} FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
       ORDER BY r.host, r.namespace, r.type, r.version, p.os, p.arch`,
    ).all();
    return rows.map((row) => ({ ...toPackage(row), release: toRelease(row) }));
  }

  /**
   * Every stored platform of a provider, ordered by version then platform: what `versions` and `index.json`
   * list. It reads four columns only: turning SQLite values into JS strings is most of a listing's cost, and the
   * release's armored signing keys alone are kilobytes per row.
   */
  listPlatforms(host: string, namespace: string, type: string): ListedPlatform[] {
    const rows = this.statement<
      [string, string, string],
      { version: string; os: string; arch: string; protocols_json: string }
    >(
      `SELECT r.version, p.os, p.arch, p.protocols_json
       FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
       WHERE ${RELEASE_WHERE} ORDER BY r.version, p.os, p.arch`,
    ).all(host, namespace, type);
    return rows.map((row) => ({
      version: row.version,
      os: row.os,
      arch: row.arch,
      protocols: JSON.parse(row.protocols_json) as string[],
    }));
  }

  /** The stored packages of one provider version, ordered by platform (a network mirror's `{version}.json`). */
  listReleasePackages(key: ReleaseKey): PackageRecord[] {
    return this.statement<[string, string, string, string], PackageRow>(
      `SELECT ${PACKAGE_COLUMNS} FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
       WHERE ${RELEASE_WHERE} AND r.version = ? ORDER BY p.os, p.arch`,
    )
      .all(key.host, key.namespace, key.type, key.version)
      .map(toPackage);
  }

  /** One stored package by platform. */
  findPackage(key: ReleaseKey, os: string, arch: string): StoredPackage | undefined {
    return this.findPackageWhere(key, "p.os = ? AND p.arch = ?", [os, arch]);
  }

  /** One stored package by its upstream filename (how /files/ URLs name archives). */
  findPackageByFilename(key: ReleaseKey, filename: string): StoredPackage | undefined {
    return this.findPackageWhere(key, "p.filename = ?", [filename]);
  }

  private findPackageWhere(key: ReleaseKey, condition: string, values: string[]): StoredPackage | undefined {
    const row = this.statement<string[], ReleaseRow & PackageRow>(
      `SELECT r.*, ${PACKAGE_COLUMNS} FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
         WHERE ${RELEASE_WHERE} AND r.version = ? AND ${condition}`,
    ).get(key.host, key.namespace, key.type, key.version, ...values);
    return row && { ...toPackage(row), release: toRelease(row) };
  }

  /**
   * Makes one verified package visible: its blobs, its release (created on first platform) and the package row,
   * in one transaction, so a crash leaves either nothing or everything.
   */
  insertPackage(release: ReleaseRecord, pkg: PackageRecord, blobs: readonly BlobRecord[]): void {
    const now = new Date().toISOString();
    this.db
      .transaction(() => {
        const insertBlob = this.statement(
          "INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)",
        );
        for (const blob of blobs) insertBlob.run(blob.sha256, blob.size, now);
        this.statement(
          `INSERT OR IGNORE INTO provider_releases (host, namespace, type, version, shasums_blob, signature_blob,
             signing_keys_json, verified_key_id, signed, shasums_url, signature_url, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          release.host,
          release.namespace,
          release.type,
          release.version,
          release.shasumsBlob,
          release.signatureBlob,
          release.signingKeysJson,
          release.verifiedKeyId,
          release.signed ? 1 : 0,
          release.shasumsUrl,
          release.signatureUrl,
          now,
        );
        const releaseRow = this.statement<
          [string, string, string, string],
          { id: number; shasums_blob: string }
        >(
          `SELECT r.id, r.shasums_blob FROM provider_releases r WHERE ${RELEASE_WHERE} AND r.version = ?`,
        ).get(release.host, release.namespace, release.type, release.version);
        if (!releaseRow)
          throw new LarderError("storage_failed", "The release row was not written; nothing was stored.");
        // Two platforms ingested concurrently may both have passed the engine's check; the database decides.
        if (releaseRow.shasums_blob !== release.shasumsBlob) {
          throw new LarderError(
            "verification_failed",
            `${release.host}/${release.namespace}/${release.type} ${release.version}: the upstream SHA256SUMS differs from the one stored for other platforms of this version; refusing to mix them.`,
          );
        }
        // Another process (or job) may have stored this platform since the engine looked: the same bytes are
        // "already present", different bytes for the same coordinates are a refusal, never a constraint error.
        const existing = this.statement<[number, string, string], { archive_blob: string }>(
          "SELECT archive_blob FROM provider_packages WHERE release_id = ? AND os = ? AND arch = ?",
        ).get(releaseRow.id, pkg.os, pkg.arch);
        if (existing) {
          if (existing.archive_blob === pkg.archiveBlob) return;
          throw new LarderError(
            "verification_failed",
            `${release.host}/${release.namespace}/${release.type} ${release.version} ${pkg.os}_${pkg.arch}: this mirror already holds an archive with sha256 ${existing.archive_blob}, but upstream now serves ${pkg.archiveBlob}. The release was changed upstream; refusing to replace it.`,
          );
        }
        this.statement(
          `INSERT INTO provider_packages (release_id, os, arch, filename, protocols_json, archive_blob, size, h1,
             download_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          releaseRow.id,
          pkg.os,
          pkg.arch,
          pkg.filename,
          JSON.stringify(pkg.protocols),
          pkg.archiveBlob,
          pkg.size,
          pkg.h1,
          pkg.downloadUrl,
          now,
        );
      })
      .immediate();
  }

  /**
   * Deletes one platform of a release, or every platform when none is given, and the release row once no platform
   * is left, in one IMMEDIATE transaction: the serving routes read these tables, so afterwards nothing of it is
   * listed or downloadable. Returns how many packages were deleted (0: nothing matched, nothing changed). The
   * blobs stay until `larder gc`, which may find them still referenced by another host or version.
   */
  deletePackages(key: ReleaseKey, platform?: { readonly os: string; readonly arch: string }): number {
    return this.db
      .transaction(() => {
        const release = this.statement<[string, string, string, string], { id: number }>(
          `SELECT r.id FROM provider_releases r WHERE ${RELEASE_WHERE} AND r.version = ?`,
        ).get(key.host, key.namespace, key.type, key.version);
        if (!release) return 0;
        const removed = platform
          ? this.statement("DELETE FROM provider_packages WHERE release_id = ? AND os = ? AND arch = ?").run(
              release.id,
              platform.os,
              platform.arch,
            ).changes
          : this.statement("DELETE FROM provider_packages WHERE release_id = ?").run(release.id).changes;
        const left = this.statement<[number], { n: number }>(
          "SELECT count(*) AS n FROM provider_packages WHERE release_id = ?",
        ).get(release.id);
        if ((left?.n ?? 0) === 0)
          this.statement("DELETE FROM provider_releases WHERE id = ?").run(release.id);
        return removed;
      })
      .immediate();
  }

  /** Every stored provider version with its platforms and size, for `larder list`. */
  summarize(): ProviderVersionSummary[] {
    const rows = this.statement<[], ReleaseKey & { platforms: string; total_size: number; signed: number }>(
      `SELECT r.host, r.namespace, r.type, r.version, r.signed,
                group_concat(p.os || '_' || p.arch, ',') AS platforms, sum(p.size) AS total_size
         FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id
         GROUP BY r.id ORDER BY r.host, r.namespace, r.type, r.version`,
    ).all();
    return rows.map((row) => ({
      host: row.host,
      namespace: row.namespace,
      type: row.type,
      version: row.version,
      platforms: row.platforms.split(",").sort(),
      signed: row.signed === 1,
      totalSize: row.total_size,
    }));
  }

  /** Upstream hosts that have at least one stored package. */
  hosts(): string[] {
    return this.statement<[], { host: string }>(
      "SELECT DISTINCT r.host FROM provider_releases r JOIN provider_packages p ON p.release_id = r.id ORDER BY r.host",
    )
      .all()
      .map((row) => row.host);
  }
}
