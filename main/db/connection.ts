import Database from "better-sqlite3";
import { errorMessage, LarderError } from "../core/errors.js";
import type { Migration } from "./migrations/migration.js";
import { migrations as allMigrations } from "./migrations/index.js";
import { guardDatabase, toLarderError } from "./sqlite-errors.js";

/** The better-sqlite3 handle type, re-exported so repositories need not import the driver. */
export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** How long a write waits for another process's lock, SQLite's wait and Larder's retries together. */
  readonly busyTimeoutMs?: number;
}

/**
 * better-sqlite3's native addon for this runtime. `npm install` builds it for Node; `npm start` runs Electron from
 * the clone with LARDER_SQLITE_BINDING naming a copy built for Electron's ABI (a packaged app has its own build
 * and needs none). Unset: the driver's default lookup.
 */
export function sqliteDriverOptions(env: NodeJS.ProcessEnv = process.env): Database.Options {
  const binding = env.LARDER_SQLITE_BINDING;
  return binding !== undefined && binding !== "" ? { nativeBinding: binding } : {};
}

/** What a second Larder process waits for the first to finish a write before it is told to retry. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the SQLite database: WAL so the CLI and the desktop app can share it, foreign keys
 * on, a busy timeout so a second process waits instead of failing, then applies pending migrations. The handle is
 * guarded (see guardDatabase): whatever it throws is a LarderError, and busy writes are retried.
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  options: OpenDatabaseOptions = {},
): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: Db;
  try {
    db = new Database(file, sqliteDriverOptions());
  } catch (error) {
    const binding = process.env.LARDER_SQLITE_BINDING;
    if (binding && !(error instanceof Database.SqliteError))
      throw new LarderError(
        "storage_failed",
        `Cannot load SQLite's native addon from LARDER_SQLITE_BINDING=${binding}: ${errorMessage(error).split("\n")[0] ?? ""}. ` +
          "Unset LARDER_SQLITE_BINDING to use the one npm install built for Node.",
        { cause: error },
      );
    // SQLITE_CANTOPEN (no permission) has its own advice; a missing folder is a plain TypeError.
    const mapped = toLarderError(error, { file, busyTimeoutMs });
    if (mapped instanceof LarderError) throw mapped;
    throw new LarderError("storage_failed", `Cannot open the database ${file}: ${String(error)}`, {
      cause: error,
    });
  }
  guardDatabase(db, { file, busyTimeoutMs });
  try {
    // The busy timeout first, so that even switching to WAL waits for a process that is migrating.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // Foreign keys are enforced from here on, not during migrations: rebuilding a referenced table (copy, drop,
    // rename) would otherwise cascade its DROP into the rows that reference it. migrate checks them instead.
    // (better-sqlite3 turns them on by default, so off must be said.)
    db.pragma("foreign_keys = OFF");
    migrate(db, migrations);
    db.pragma("foreign_keys = ON");
  } catch (error) {
    // Close so a refused or broken database is not left open (and locked) for the rest of the process.
    db.close();
    if (error instanceof LarderError) throw error;
    throw new LarderError("storage_failed", `Cannot open the database ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return db;
}

/**
 * Applies every migration newer than the database's user_version in one IMMEDIATE transaction (with foreign keys
 * off, checked once at the end, as SQLite documents for table rebuilds): two processes
 * opening a new data directory at once would otherwise both see version 0 and both create the tables.
 */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  db.transaction(() => {
    const current = Number(db.pragma("user_version", { simple: true }));
    const newest = migrations.at(-1)?.id ?? 0;
    if (current > newest) {
      throw new LarderError(
        "storage_failed",
        `The database was written by a newer Larder (schema ${current}, this one knows ${newest}). Upgrade Larder.`,
      );
    }
    for (const migration of migrations) {
      if (migration.id <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.id}`);
    }
    const broken = db.pragma("foreign_key_check");
    if (Array.isArray(broken) && broken.length > 0) {
      throw new LarderError(
        "storage_failed",
        `A schema migration left ${broken.length} row(s) referring to rows that do not exist; nothing was changed.`,
      );
    }
  }).immediate();
}
