import type { Db } from "./connection.js";

/**
 * Cheap questions about whether another process changed the database: SQLite's `data_version` moves when another
 * connection commits, and the fingerprints say which part changed, without reading it all.
 */
export class ChangeProbe {
  constructor(private readonly db: Db) {}

  /** Changes whenever another connection (another process) commits; this connection's own writes do not move it. */
  dataVersion(): number {
    return Number(this.db.pragma("data_version", { simple: true }));
  }

  /** Moves when a provider package or module version is added or deleted. */
  inventoryFingerprint(): string {
    const row = this.db
      .prepare<[], { fingerprint: string }>(
        `SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM provider_packages) || '/' ||
                (SELECT count(*) || ':' || coalesce(max(id), 0) FROM module_versions) AS fingerprint`,
      )
      .get();
    return row?.fingerprint ?? "";
  }

  /** Each setting's last change, by key. */
  settingsStamps(): Map<string, string> {
    const rows = this.db
      .prepare<[], { key: string; updated_at: string }>("SELECT key, updated_at FROM settings")
      .all();
    return new Map(rows.map((row) => [row.key, row.updated_at]));
  }
}
