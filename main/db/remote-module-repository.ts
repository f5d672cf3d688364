import type { Db } from "./connection.js";
import type { BlobRecord } from "./provider-repository.js";

/** A snapshot of a module from a non-registry source (migration 14). */
export interface RemoteModuleRecord {
  readonly source: string;
  readonly archiveBlob: string;
  readonly fetchedAt: string;
}

/** All SQL about remote module snapshots. */
export class RemoteModuleRepository {
  constructor(private readonly db: Db) {}

  /** The snapshot of `source` (without its //subdir), if one was taken. */
  find(source: string): RemoteModuleRecord | undefined {
    return this.db
      .prepare<[string], RemoteModuleRecord>(
        "SELECT source, archive_blob AS archiveBlob, fetched_at AS fetchedAt FROM remote_modules WHERE source = ?",
      )
      .get(source);
  }

  /** Records (or replaces) a snapshot together with its archive blob, in one transaction. */
  put(source: string, blob: BlobRecord): RemoteModuleRecord {
    const fetchedAt = new Date().toISOString();
    this.db
      .transaction(() => {
        this.db
          .prepare("INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)")
          .run(blob.sha256, blob.size, fetchedAt);
        this.db
          .prepare(
            `INSERT INTO remote_modules (source, archive_blob, fetched_at) VALUES (?, ?, ?)
             ON CONFLICT (source) DO UPDATE SET archive_blob = excluded.archive_blob, fetched_at = excluded.fetched_at`,
          )
          .run(source, blob.sha256, fetchedAt);
      })
      .immediate();
    return { source, archiveBlob: blob.sha256, fetchedAt };
  }
}
