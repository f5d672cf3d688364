import type { Db } from "./connection.js";

/** Rows kept at most; the oldest go first. A row is a few hundred bytes, so the cache stays under ~10 MB. */
const MAX_ROWS = 20_000;

/** The parsed-configuration cache of migration 13: what a file says, by the hash of its kind and bytes. */
export class ConfigCacheRepository {
  private readonly select;
  private readonly upsert;
  private readonly trim;

  constructor(db: Db) {
    this.select = db
      .prepare<[string, number], string>("SELECT config_json FROM config_cache WHERE key = ? AND reader = ?")
      .pluck();
    this.upsert = db.prepare<[string, number, string]>(
      `INSERT INTO config_cache (key, reader, config_json) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET reader = excluded.reader, config_json = excluded.config_json`,
    );
    this.trim = db.prepare<[number]>(
      "DELETE FROM config_cache WHERE id <= (SELECT max(id) FROM config_cache) - ?",
    );
  }

  /** The cached JSON for `key` as read by reader version `reader`, or undefined. */
  get(key: string, reader: number): string | undefined {
    return this.select.get(key, reader);
  }

  /** Keeps what a file says; the oldest rows beyond the bound are dropped. */
  put(key: string, reader: number, configJson: string): void {
    this.upsert.run(key, reader, configJson);
    this.trim.run(MAX_ROWS);
  }
}
