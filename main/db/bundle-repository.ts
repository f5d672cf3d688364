import type { Db } from "./connection.js";

/** Whether this data directory wrote the bundle or took it in. */
export type BundleDirection = "export" | "import";

/** One bundle in the history (for `larder bundle list` and the UI). */
export interface BundleRecord {
  readonly id: string;
  readonly direction: BundleDirection;
  readonly parentId: string | null;
  readonly bundleCreatedAt: string;
  readonly recordedAt: string;
  readonly file: string;
  readonly size: number;
  readonly providerPackages: number;
  readonly moduleVersions: number;
  readonly entries: number;
  readonly signedBy: string | null;
}

interface BundleRow {
  id: string;
  direction: BundleDirection;
  parent_id: string | null;
  bundle_created_at: string;
  recorded_at: string;
  file: string;
  size: number;
  provider_packages: number;
  module_versions: number;
  entries: number;
  signed_by: string | null;
}

const COLUMNS =
  "id, direction, parent_id, bundle_created_at, recorded_at, file, size, provider_packages, module_versions, entries, signed_by";

function toRecord(row: BundleRow): BundleRecord {
  return {
    id: row.id,
    direction: row.direction,
    parentId: row.parent_id,
    bundleCreatedAt: row.bundle_created_at,
    recordedAt: row.recorded_at,
    file: row.file,
    size: row.size,
    providerPackages: row.provider_packages,
    moduleVersions: row.module_versions,
    entries: row.entries,
    signedBy: row.signed_by,
  };
}

/** All SQL about the bundle history. */
export class BundleRepository {
  constructor(private readonly db: Db) {}

  /** Every recorded bundle, newest first. */
  list(): BundleRecord[] {
    return this.db
      .prepare<[], BundleRow>(`SELECT ${COLUMNS} FROM bundles ORDER BY recorded_at DESC, id`)
      .all()
      .map(toRecord);
  }

  /** The history rows of one bundle id (an export, an import, or both). */
  find(id: string): BundleRecord[] {
    return this.db
      .prepare<[string], BundleRow>(`SELECT ${COLUMNS} FROM bundles WHERE id = ? ORDER BY direction`)
      .all(id)
      .map(toRecord);
  }

  /** The manifest JSON recorded with a bundle, for `--since ID`. */
  manifestJson(id: string): string | undefined {
    return this.db
      .prepare<[string], { manifest_json: string }>("SELECT manifest_json FROM bundles WHERE id = ? LIMIT 1")
      .get(id)?.manifest_json;
  }

  /** Records an exported bundle. */
  recordExport(record: Omit<BundleRecord, "direction" | "recordedAt">, manifestJson: string): void {
    this.insert({ ...record, direction: "export" }, manifestJson);
  }

  /**
   * Runs the writes of an import and records it, in one transaction: either the bundle's content and its history
   * row are both visible, or neither is. Repository writes inside nest as savepoints.
   */
  importInTransaction(
    record: Omit<BundleRecord, "direction" | "recordedAt">,
    manifestJson: string,
    writes: () => void,
  ): void {
    this.db
      .transaction(() => {
        writes();
        this.insert({ ...record, direction: "import" }, manifestJson);
      })
      .immediate();
  }

  private insert(record: Omit<BundleRecord, "recordedAt">, manifestJson: string): void {
    this.db
      .prepare(`INSERT INTO bundles (${COLUMNS}, manifest_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        record.id,
        record.direction,
        record.parentId,
        record.bundleCreatedAt,
        new Date().toISOString(),
        record.file,
        record.size,
        record.providerPackages,
        record.moduleVersions,
        record.entries,
        record.signedBy,
        manifestJson,
      );
  }
}
