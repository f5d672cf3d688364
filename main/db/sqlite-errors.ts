import Database from "better-sqlite3";
import { basename, dirname } from "node:path";
import { LarderError } from "../core/errors.js";

type Db = Database.Database;
type SqliteError = InstanceType<typeof Database.SqliteError>;

/** What the mapping needs to say which database failed and how long a busy database is waited for. */
export interface SqliteContext {
  /** The database file (larder.db inside the data directory). */
  readonly file: string;
  /** How long, in total, a write waits for another process's lock before giving up. */
  readonly busyTimeoutMs: number;
}

/** Nouns for the tables a person may see named in a constraint message; unknown tables are named as they are. */
const nounByTable: Readonly<Record<string, string>> = {
  blobs: "stored blob",
  provider_releases: "provider release",
  provider_packages: "provider package",
  module_versions: "module version",
  jobs: "job",
  job_items: "job item",
  bundles: "bundle record",
  audit_log: "audit log entry",
  catalog_entries: "catalog entry",
  catalog_versions: "catalog version",
  catalog_sources: "catalog source",
};

function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError;
}

/** True for SQLITE_BUSY and SQLITE_LOCKED (and their extended codes), raw or already mapped to a LarderError. */
export function isBusy(error: unknown): boolean {
  const sqlite = isSqliteError(error) ? error : error instanceof LarderError ? error.cause : undefined;
  return isSqliteError(sqlite) && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(sqlite.code);
}

/**
 * Turns a better-sqlite3 SqliteError into a LarderError whose message says what happened and what to do,
 * keeping the SqliteError as `cause` for logs and LARDER_DEBUG. Anything else is returned unchanged. SQLite's
 * messages never contain the SQL text, but constraint details are still reworded rather than passed through.
 */
export function toLarderError(error: unknown, context: SqliteContext): unknown {
  if (!isSqliteError(error)) return error;
  const { code } = error;
  const dataDir = dirname(context.file);
  const fail = (larderCode: "conflict" | "storage_failed", message: string): LarderError =>
    new LarderError(larderCode, message, { cause: error });

  if (/^SQLITE_(BUSY|LOCKED)(_|$)/.test(code)) {
    const waited =
      context.busyTimeoutMs < 1000
        ? `${context.busyTimeoutMs} ms`
        : `${Math.round(context.busyTimeoutMs / 100) / 10} s`;
    return fail(
      "conflict",
      `Another Larder process (a server, the desktop app or another larder command) holds the database in ${dataDir} and did not let go within ${waited}. Run the command again once it has finished, or stop that process.`,
    );
  }
  if (code.startsWith("SQLITE_CONSTRAINT")) return constraintError(error, fail);
  if (code === "SQLITE_FULL" || code === "SQLITE_IOERR_NOSPC") {
    return fail(
      "storage_failed",
      `The disk holding ${dataDir} is full; nothing was written. Free some space and run the command again.`,
    );
  }
  if (code.startsWith("SQLITE_IOERR")) {
    return fail(
      "storage_failed",
      `The database in ${dataDir} could not be read or written (${code}); nothing was written. Check that the disk holding it is attached, not full and healthy, then run the command again.`,
    );
  }
  if (code.startsWith("SQLITE_READONLY")) {
    return fail(
      "storage_failed",
      `Larder cannot write its database in ${dataDir}: the file or its folder is read-only. Give the user running Larder write permission on ${dataDir} and the ${basename(context.file)}* files in it.`,
    );
  }
  if (code.startsWith("SQLITE_CANTOPEN")) {
    return fail(
      "storage_failed",
      `Larder cannot open its database in ${dataDir}. Check that the folder exists and that the user running Larder may read and write it and the ${basename(context.file)}* files in it.`,
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    const name = basename(context.file);
    return fail(
      "storage_failed",
      `The database ${context.file} is damaged or is not a Larder database. Stop every Larder process, move ${name}, ${name}-wal and ${name}-shm out of ${dataDir} (keep them for a bug report), then run Larder again to start a new database and mirror or import a bundle again to refill it.`,
    );
  }
  // Anything else (SQLITE_ERROR, SQLITE_MISUSE…) is a Larder bug; SQLite's own words are the only diagnosis.
  return fail(
    "storage_failed",
    `The database ${context.file} refused an operation (${code}: ${error.message}). This is probably a Larder bug; please report it.`,
  );
}

function constraintError(
  error: SqliteError,
  fail: (code: "conflict" | "storage_failed", message: string) => LarderError,
): LarderError {
  // SQLite words these "UNIQUE constraint failed: bundles.id, bundles.direction"; only the columns are kept.
  const columns = /constraint failed: (.*)$/.exec(error.message)?.[1]?.split(", ") ?? [];
  const qualified = columns.map((column) => column.split(".")).filter((parts) => parts.length === 2);
  const table = qualified[0]?.[0];
  const what = table === undefined ? "row" : (nounByTable[table] ?? `row of ${table}`);
  const fields = qualified.map((parts) => parts[1]).join(", ");
  switch (error.code) {
    case "SQLITE_CONSTRAINT_UNIQUE":
    case "SQLITE_CONSTRAINT_PRIMARYKEY":
      return fail(
        "conflict",
        `The database already holds a ${what} with the same ${fields || "key"}${table === undefined ? "" : ` (table ${table})`}; nothing was written. Another Larder process may have stored it at the same moment: run the command again.`,
      );
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
      return fail(
        "conflict",
        "Something this change refers to is no longer in the database; nothing was written. Another Larder process may have removed it at the same moment: run the command again.",
      );
    default:
      return fail(
        "storage_failed",
        `Larder tried to store an invalid ${what}${fields ? ` (${fields})` : ""} and the database refused it (${error.code}); nothing was written. This is a Larder bug; please report it.`,
      );
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread: better-sqlite3 is synchronous, and SQLite's own busy handler sleeps the same way. */
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/**
 * Runs `attempt` again while it fails with SQLITE_BUSY/LOCKED, with a small doubling backoff, until `windowMs`
 * has passed since the first try; then the last error is thrown. SQLite's busy handler already waits for most
 * locks, so usually the window is spent when BUSY escapes and nothing is retried; this covers the BUSY that
 * escapes at once (a deferred reader upgrading to a writer, a busy handler skipped to avoid a deadlock, WAL
 * recovery), so the whole wait stays within the busy timeout. `attempt` must be safe to run again: a failed
 * transaction has been rolled back, and a failed single statement wrote nothing.
 */
export function retryBusy<T>(
  attempt: () => T,
  windowMs: number,
  sleep: (ms: number) => void = sleepSync,
  now: () => number = Date.now,
): T {
  const deadline = now() + windowMs;
  let backoff = 10;
  for (;;) {
    try {
      return attempt();
    } catch (error) {
      const left = deadline - now();
      if (!isBusy(error) || left <= 0) throw error;
      sleep(Math.min(backoff, left));
      backoff = Math.min(backoff * 2, 100);
    }
  }
}

type StatementMethod = "run" | "get" | "all";

/**
 * Makes every SqliteError the handle can throw a LarderError, and retries busy writes, by wrapping the handle's
 * own entry points (prepare's statements, transaction, exec, pragma) once, where it is opened. This is the
 * boundary because every repository — and any added later — goes through these: mapping in each repository would
 * miss one, and mapping in the CLI, the server and the job runner would mean three copies, none of which knows
 * the data directory or can retry. Outside a transaction each call is retried on BUSY on its own; inside one,
 * the outermost transaction is retried as a whole (a nested one is a savepoint of it and must not be).
 * Statement.iterate is not wrapped: no repository uses it.
 */
export function guardDatabase(db: Db, context: SqliteContext): Db {
  const mapped = <T>(call: () => T): T => {
    try {
      return call();
    } catch (error) {
      throw toLarderError(error, context);
    }
  };
  const guarded = <T>(call: () => T): T =>
    db.inTransaction ? mapped(call) : retryBusy(() => mapped(call), context.busyTimeoutMs);

  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = mapped(() => prepare(source));
    for (const method of ["run", "get", "all"] as const satisfies readonly StatementMethod[]) {
      const original: (...args: unknown[]) => unknown = statement[method].bind(statement);
      Object.defineProperty(statement, method, {
        value: (...args: unknown[]) => guarded(() => original(...args)),
        configurable: true,
        writable: true,
      });
    }
    return statement;
  }) as Db["prepare"];

  const exec = db.exec.bind(db);
  db.exec = (source: string) => guarded(() => exec(source));

  const pragma = db.pragma.bind(db);
  db.pragma = (source: string, options?: Database.PragmaOptions) => guarded(() => pragma(source, options));

  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const variants = transaction(fn);
    const wrap =
      (variant: (args: unknown[]) => unknown) =>
      (...args: unknown[]): unknown =>
        guarded(() => variant(args));
    return Object.assign(
      wrap((args) => variants(...args)),
      {
        default: wrap((args) => variants.default(...args)),
        deferred: wrap((args) => variants.deferred(...args)),
        immediate: wrap((args) => variants.immediate(...args)),
        exclusive: wrap((args) => variants.exclusive(...args)),
        database: db,
      },
    );
  }) as Db["transaction"];

  return db;
}
