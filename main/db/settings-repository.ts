import type { Db } from "./connection.js";

interface SettingRow {
  readonly key: string;
  readonly value_json: string;
}

/** Persistent settings as JSON values by key; what a value means and which keys exist is the engine's business. */
export class SettingsRepository {
  constructor(private readonly db: Db) {}

  /** The stored value of a setting, or undefined when it was never set (the default applies). */
  get(key: string): unknown {
    const row = this.db
      .prepare<[string], SettingRow>("SELECT key, value_json FROM settings WHERE key = ?")
      .get(key);
    return row === undefined ? undefined : (JSON.parse(row.value_json) as unknown);
  }

  /** Stores a setting, replacing what was there. */
  set(key: string, value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), new Date().toISOString());
  }

  /** Forgets a setting, so its default applies again. */
  delete(key: string): void {
    this.db.prepare("DELETE FROM settings WHERE key = ?").run(key);
  }
}
