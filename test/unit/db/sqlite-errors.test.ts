import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { BundleRepository } from "../../../main/db/bundle-repository.js";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { JobRepository } from "../../../main/db/job-repository.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { retryBusy, toLarderError } from "../../../main/db/sqlite-errors.js";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let file: string;
const opened: Db[] = [];
const children: ChildProcess[] = [];

function open(busyTimeoutMs?: number): Db {
  const db = openDatabase(file, migrations, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  opened.push(db);
  return db;
}

function createJob(db: Db): number {
  return new JobRepository(db).create("mirror-provider", "provider x", "{}", []).id;
}

const BUNDLE = {
  id: "5e86d730-c66a-4362-aec5-09d13e81b6a3",
  parentId: null,
  bundleCreatedAt: "2026-01-01T00:00:00.000Z",
  file: "/tmp/mirror.tar",
  size: 1024,
  providerPackages: 2,
  moduleVersions: 1,
  entries: 9,
  signedBy: null,
};

/** A second process that takes the write lock, says "locked", holds it for `holdMs`, then commits and exits. */
async function holdWriteLock(holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.env.LARDER_TEST_DB);
    db.exec("BEGIN IMMEDIATE");
    process.stdout.write("locked\\n", () => {
      setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${holdMs});
    });
  `;
  const child = spawn(process.execPath, ["-e", script], {
    cwd: process.cwd(),
    env: { ...process.env, LARDER_TEST_DB: file },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let output = "";
  child.stdout.setEncoding("utf8");
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      if (output.includes("locked")) resolve();
    });
    child.once("exit", (code) => {
      reject(new Error(`the lock holder exited (${String(code)}) before locking`));
    });
  });
  return child;
}

beforeEach(async () => {
  dir = await makeTempDir("db-sqlite-errors");
  file = join(dir.path, "larder.db");
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
  for (const db of opened.splice(0)) if (db.open) db.close();
  await dir.remove();
});

describe("a locked database", () => {
  it("tells the second process that another Larder holds the database, not that it is locked", () => {
    const second = open(50);
    const first = open();
    first.exec("BEGIN IMMEDIATE");
    const error = errorOf(() => createJob(second));
    first.exec("ROLLBACK");
    expect(error.code).toBe("conflict");
    expect(error.status).toBe(409);
    expect(error.message).toBe(
      `Another Larder process (a server, the desktop app or another larder command) holds the database in ${dir.path} and did not let go within 50 ms. Run the command again once it has finished, or stop that process.`,
    );
    expect(error.message).not.toMatch(/database is locked|SQLITE/);
    expect(error.cause).toMatchObject({ code: "SQLITE_BUSY" });
    // Nothing was half-written, and the same call works once the lock is gone.
    expect(new JobRepository(second).list()).toEqual([]);
    expect(createJob(second)).toBe(1);
  });

  it("also maps a busy single statement outside a transaction", () => {
    const second = open(50);
    const first = open();
    const jobId = createJob(first);
    first.exec("BEGIN IMMEDIATE");
    const error = errorOf(() => {
      new JobRepository(second).updateProgress(jobId, 1, 2);
    });
    first.exec("ROLLBACK");
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/^Another Larder process .* holds the database/);
  });

  it("retries a write whose lock another process releases within the busy timeout", async () => {
    const db = open(10_000);
    // SQLite itself no longer waits, so only Larder's retry can let this write through.
    db.pragma("busy_timeout = 0");
    const holder = await holdWriteLock(300);
    const exited = once(holder, "exit");
    const jobId = createJob(db);
    expect(new JobRepository(db).get(jobId).what).toBe("provider x");
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});

describe("a constraint violation", () => {
  it("names what conflicted in words, without SQLite's message or the SQL", () => {
    const db = open();
    const bundles = new BundleRepository(db);
    bundles.recordExport(BUNDLE, "{}");
    const error = errorOf(() => {
      bundles.recordExport(BUNDLE, "{}");
    });
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(
      "The database already holds a bundle record with the same id, direction (table bundles); nothing was written. Another Larder process may have stored it at the same moment: run the command again.",
    );
    expect(error.message).not.toMatch(/constraint failed|INSERT|VALUES/);
    expect(error.cause).toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    expect(bundles.list()).toHaveLength(1);
  });

  it("rolls a transaction back and maps a foreign key failure inside it", () => {
    const db = open();
    const error = errorOf(() => {
      db.transaction(() => {
        db.prepare(
          "INSERT INTO job_items (job_id, kind, label, ref_json, host, state, created_at, updated_at) VALUES (99, 'provider-package', 'x', '{}', 'h', 'queued', 'now', 'now')",
        ).run();
      }).immediate();
    });
    expect(error.code).toBe("conflict");
    expect(error.message).toMatch(/^Something this change refers to is no longer in the database/);
    expect(error.cause).toMatchObject({ code: "SQLITE_CONSTRAINT_FOREIGNKEY" });
    expect(db.inTransaction).toBe(false);
  });
});

describe("toLarderError", () => {
  const context = { file: "/data/larder/larder.db", busyTimeoutMs: 5000 };
  const mapped = (code: string, message = "sqlite says no"): LarderError => {
    const error = toLarderError(new Database.SqliteError(message, code), context);
    if (!(error instanceof LarderError)) throw new Error(`${code} was not mapped`);
    expect(error.message).not.toContain(message);
    expect(error.cause).toBeInstanceOf(Database.SqliteError);
    return error;
  };

  it("says the disk holding the data directory is full or could not be written", () => {
    expect(mapped("SQLITE_FULL")).toMatchObject({
      code: "storage_failed",
      message:
        "The disk holding /data/larder is full; nothing was written. Free some space and run the command again.",
    });
    expect(mapped("SQLITE_IOERR_WRITE")).toMatchObject({
      code: "storage_failed",
      message: expect.stringMatching(
        /^The database in \/data\/larder could not be read or written \(SQLITE_IOERR_WRITE\)/,
      ) as unknown,
    });
  });

  it("names the data directory and its permissions for a read-only or unopenable database", () => {
    expect(mapped("SQLITE_READONLY").message).toMatch(
      /^Larder cannot write its database in \/data\/larder: .*write permission on \/data\/larder/,
    );
    expect(mapped("SQLITE_READONLY_DBMOVED").code).toBe("storage_failed");
    expect(mapped("SQLITE_CANTOPEN").message).toMatch(
      /^Larder cannot open its database in \/data\/larder\. .*may read and write it/,
    );
  });

  it("says a damaged database is damaged and what to do with it", () => {
    for (const code of ["SQLITE_CORRUPT", "SQLITE_CORRUPT_INDEX", "SQLITE_NOTADB"]) {
      const error = mapped(code);
      expect(error.code).toBe("storage_failed");
      expect(error.message).toMatch(
        /^The database \/data\/larder\/larder\.db is damaged .*move larder\.db, larder\.db-wal and larder\.db-shm out of \/data\/larder/,
      );
    }
  });

  it("calls a locked database a conflict with another process", () => {
    expect(mapped("SQLITE_BUSY_SNAPSHOT").code).toBe("conflict");
    expect(mapped("SQLITE_LOCKED").message).toMatch(/within 5 s/);
  });

  it("leaves errors that are not SQLite's alone", () => {
    const plain = new Error("plain");
    expect(toLarderError(plain, context)).toBe(plain);
  });
});

describe("retryBusy", () => {
  const busy = (): LarderError =>
    new LarderError("conflict", "busy", {
      cause: new Database.SqliteError("database is locked", "SQLITE_BUSY"),
    });

  it("tries again after a short sleep while the database is busy, until it succeeds", () => {
    let clock = 0;
    const sleeps: number[] = [];
    let attempts = 0;
    const result = retryBusy(
      () => {
        attempts += 1;
        if (attempts < 4) throw busy();
        return "done";
      },
      1000,
      (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      () => clock,
    );
    expect(result).toBe("done");
    expect(sleeps).toEqual([10, 20, 40]);
  });

  it("gives up with the last busy error once the window has passed, sleeping no longer than what is left", () => {
    let clock = 0;
    const sleeps: number[] = [];
    const last = busy();
    const error = errorOf(() =>
      retryBusy(
        () => {
          throw clock >= 250 ? last : busy();
        },
        250,
        (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        () => clock,
      ),
    );
    expect(error).toBe(last);
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(250);
    expect(Math.max(...sleeps)).toBe(100);
  });

  it("does not retry any other failure", () => {
    let attempts = 0;
    const failure = new LarderError("conflict", "nothing to do");
    expect(() =>
      retryBusy(
        () => {
          attempts += 1;
          throw failure;
        },
        1000,
        () => undefined,
        () => 0,
      ),
    ).toThrow(failure);
    expect(attempts).toBe(1);
  });
});
