import { LarderError } from "../core/errors.js";
import type { Db } from "./connection.js";
import type { BlobRecord } from "./provider-repository.js";

/** Coordinates of one module version. */
export interface ModuleVersionKey {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
  readonly version: string;
}

/** A stored module version: Larder's normalised archive and where it came from. */
export interface ModuleVersionRecord extends ModuleVersionKey {
  readonly archiveBlob: string;
  readonly size: number;
  readonly subdir: string;
  readonly sourceKind: "archive" | "github" | "git";
  readonly upstreamLocation: string;
}

interface ModuleRow {
  host: string;
  namespace: string;
  name: string;
  system: string;
  version: string;
  archive_blob: string;
  size: number;
  subdir: string;
  source_kind: "archive" | "github" | "git";
  upstream_location: string;
}

function toRecord(row: ModuleRow): ModuleVersionRecord {
  return {
    host: row.host,
    namespace: row.namespace,
    name: row.name,
    system: row.system,
    version: row.version,
    archiveBlob: row.archive_blob,
    size: row.size,
    subdir: row.subdir,
    sourceKind: row.source_kind,
    upstreamLocation: row.upstream_location,
  };
}

const MODULE_WHERE = "host = ? AND namespace = ? AND name = ? AND system = ?";

/** All SQL about module versions. */
export class ModuleRepository {
  constructor(private readonly db: Db) {}

  /** One stored version. */
  find(key: ModuleVersionKey): ModuleVersionRecord | undefined {
    const row = this.db
      .prepare<string[], ModuleRow>(`SELECT * FROM module_versions WHERE ${MODULE_WHERE} AND version = ?`)
      .get(key.host, key.namespace, key.name, key.system, key.version);
    return row && toRecord(row);
  }

  /** Every stored version of a module (any order; callers sort by semver). */
  listVersions(host: string, namespace: string, name: string, system: string): ModuleVersionRecord[] {
    return this.db
      .prepare<string[], ModuleRow>(`SELECT * FROM module_versions WHERE ${MODULE_WHERE}`)
      .all(host, namespace, name, system)
      .map(toRecord);
  }

  /** Every stored module version, for listings. */
  all(): ModuleVersionRecord[] {
    return this.db
      .prepare<[], ModuleRow>("SELECT * FROM module_versions ORDER BY host, namespace, name, system, version")
      .all()
      .map(toRecord);
  }

  /**
   * Deletes one module version (its blob stays until `larder gc`); returns how many rows went (0 or 1). One
   * statement, so one implicit transaction: afterwards the serving routes neither list nor download it.
   */
  delete(key: ModuleVersionKey): number {
    return this.db
      .prepare(`DELETE FROM module_versions WHERE ${MODULE_WHERE} AND version = ?`)
      .run(key.host, key.namespace, key.name, key.system, key.version).changes;
  }

  /** Makes a module version visible together with its archive blob, in one transaction. */
  insert(record: ModuleVersionRecord, blob: BlobRecord): void {
    const now = new Date().toISOString();
    this.db
      .transaction(() => {
        // Another process (a `larder serve --pull-through` and a `larder mirror` on one data dir) may have stored
        // this version since the engine looked: the same archive is "already present" (packing is deterministic),
        // a different one a refusal, never a UNIQUE constraint error reaching the user.
        const existing = this.db
          .prepare<string[], { archive_blob: string }>(
            `SELECT archive_blob FROM module_versions WHERE ${MODULE_WHERE} AND version = ?`,
          )
          .get(record.host, record.namespace, record.name, record.system, record.version);
        if (existing) {
          if (existing.archive_blob === record.archiveBlob) return;
          throw new LarderError(
            "verification_failed",
            `${record.host}/${record.namespace}/${record.name}/${record.system} ${record.version}: this mirror already holds an archive with sha256 ${existing.archive_blob}, but upstream now gives ${record.archiveBlob}. The version was changed upstream; refusing to replace it.`,
          );
        }
        this.db
          .prepare("INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)")
          .run(blob.sha256, blob.size, now);
        this.db
          .prepare(
            `INSERT INTO module_versions (host, namespace, name, system, version, archive_blob, size, subdir,
             source_kind, upstream_location, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.host,
            record.namespace,
            record.name,
            record.system,
            record.version,
            record.archiveBlob,
            record.size,
            record.subdir,
            record.sourceKind,
            record.upstreamLocation,
            now,
          );
      })
      .immediate();
  }
}
