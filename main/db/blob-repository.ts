import type { Db } from "./connection.js";
import type { BlobRecord } from "./provider-repository.js";

/**
 * Every column that names a blob. The `bundles` table keeps manifests as JSON, not blob references, and jobs
 * reference nothing stored, so these are the whole referenced set; a new blob column must be added here.
 */
const REFERENCES = `
  SELECT archive_blob AS sha256 FROM provider_packages
  UNION SELECT shasums_blob FROM provider_releases
  UNION SELECT signature_blob FROM provider_releases
  UNION SELECT archive_blob FROM module_versions
  UNION SELECT archive_blob FROM remote_modules`;

/** The `blobs` table as a whole, for garbage collection and disk usage. */
export class BlobRepository {
  constructor(private readonly db: Db) {}

  /** The sha256 of every blob some row references. */
  referenced(): Set<string> {
    return new Set(
      this.db
        .prepare<[], { sha256: string }>(REFERENCES)
        .all()
        .map((row) => row.sha256),
    );
  }

  /** Every `blobs` row. */
  all(): BlobRecord[] {
    return this.db.prepare<[], BlobRecord>("SELECT sha256, size FROM blobs ORDER BY sha256").all();
  }

  /** Drops `blobs` rows (their files are gone or going; no row references them). */
  remove(sha256s: readonly string[]): void {
    const remove = this.db.prepare("DELETE FROM blobs WHERE sha256 = ?");
    for (const sha256 of sha256s) remove.run(sha256);
  }

  /**
   * Runs `work` in one transaction: IMMEDIATE (the write lock, so no ingest session can start meanwhile) for a
   * collection, DEFERRED (a consistent read snapshot, no lock) for a report.
   */
  inTransaction<T>(mode: "immediate" | "deferred", work: () => T): T {
    const transaction = this.db.transaction(work);
    return mode === "immediate" ? transaction.immediate() : transaction.deferred();
  }
}
