import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, sqliteDriverOptions, type Db } from "../../../main/db/connection.js";
import { migrations } from "../../../main/db/migrations/index.js";
import type { Migration } from "../../../main/db/migrations/migration.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
const opened: Db[] = [];

function open(file: string, list?: readonly Migration[]): Db {
  const db = list ? openDatabase(file, list) : openDatabase(file);
  opened.push(db);
  return db;
}

function tables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => row.name);
}

function userVersion(db: Db): number {
  return Number(db.pragma("user_version", { simple: true }));
}

const first: Migration = { id: 1, name: "first", sql: "CREATE TABLE a (x INTEGER NOT NULL) STRICT;" };
const second: Migration = {
  id: 2,
  name: "second",
  sql: "CREATE TABLE b (y TEXT) STRICT; INSERT INTO a (x) VALUES (2);",
};

beforeEach(async () => {
  dir = await makeTempDir("db-connection");
});

afterEach(async () => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  await dir.remove();
});

describe("openDatabase", () => {
  it("creates the file with WAL, foreign keys and a busy timeout, and applies every migration", () => {
    const db = open(join(dir.path, "larder.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(userVersion(db)).toBe(migrations.at(-1)?.id);
    expect(tables(db)).toEqual(expect.arrayContaining(["blobs", "provider_releases", "provider_packages"]));
  });

  it("numbers the shipped migrations 1, 2, 3… in order, so none is skipped or applied twice", () => {
    expect(migrations.map((migration) => migration.id)).toEqual(
      migrations.map((_migration, index) => index + 1),
    );
    expect(new Set(migrations.map((migration) => migration.name)).size).toBe(migrations.length);
  });

  it("re-opens an up-to-date database without re-running migrations and keeps its data", () => {
    const file = join(dir.path, "larder.db");
    const db = open(file, [first, second]);
    db.prepare("INSERT INTO a (x) VALUES (?)").run(7);
    db.close();
    const again = open(file, [first, second]);
    expect(userVersion(again)).toBe(2);
    expect(again.prepare<[], { x: number }>("SELECT x FROM a ORDER BY x").all()).toEqual([
      { x: 2 },
      { x: 7 },
    ]);
  });

  it("applies only the migrations newer than the file's user_version", () => {
    const file = join(dir.path, "larder.db");
    open(file, [first]).close();
    const db = open(file, [first, second]);
    expect(userVersion(db)).toBe(2);
    expect(tables(db)).toEqual(["a", "b"]);
    expect(db.prepare<[], { n: number }>("SELECT count(*) AS n FROM a").get()).toEqual({ n: 1 });
  });

  it("refuses a database written by a newer Larder and leaves it untouched", () => {
    const file = join(dir.path, "larder.db");
    open(file, [first, second]).close();
    expect(() => open(file, [first])).toThrow(
      expect.objectContaining({
        code: "storage_failed",
        message: "The database was written by a newer Larder (schema 2, this one knows 1). Upgrade Larder.",
      }),
    );
    const db = open(file, [first, second]);
    expect(userVersion(db)).toBe(2);
    expect(tables(db)).toEqual(["a", "b"]);
  });

  it("rolls a failing migration back completely and keeps the ones before it", () => {
    const file = join(dir.path, "larder.db");
    const broken: Migration = {
      id: 2,
      name: "broken",
      sql: "CREATE TABLE b (y TEXT); INSERT INTO missing VALUES (1);",
    };
    const third: Migration = { id: 3, name: "third", sql: "CREATE TABLE c (z TEXT);" };
    expect(() => open(file, [first, broken, third])).toThrow(/no such table: missing/);
    const db = open(file, [first]);
    expect(userVersion(db)).toBe(1);
    expect(tables(db)).toEqual(["a"]);
    db.close();
    const fixed = open(file, [first, second, third]);
    expect(userVersion(fixed)).toBe(3);
    expect(tables(fixed)).toEqual(["a", "b", "c"]);
  });

  it("explains a file that is not a database, or a folder that does not exist", async () => {
    const file = join(dir.path, "not-a.db");
    await writeFile(file, "this is a text file, not SQLite. ".repeat(10));
    expect(() => open(file)).toThrow(
      expect.objectContaining({
        code: "storage_failed",
        message: expect.stringContaining(
          `The database ${file} is damaged or is not a Larder database.`,
        ) as unknown,
        cause: expect.objectContaining({ code: "SQLITE_NOTADB" }) as unknown,
      }),
    );
    const missing = join(dir.path, "no-such-folder", "larder.db");
    expect(() => open(missing)).toThrow(expect.objectContaining({ code: "storage_failed" }));
    expect(() => open(missing)).toThrow(
      /Cannot open the database .*no-such-folder.*directory does not exist/,
    );
  });

  it("lets a second connection (the desktop app beside the CLI) read what the first wrote", () => {
    const file = join(dir.path, "larder.db");
    const cli = open(file, [first]);
    const app = open(file, [first]);
    cli.prepare("INSERT INTO a (x) VALUES (?)").run(42);
    expect(app.prepare<[], { x: number }>("SELECT x FROM a").all()).toEqual([{ x: 42 }]);
  });
});

describe("LARDER_SQLITE_BINDING (npm start's Electron build of the driver)", () => {
  const NODE_BUILD = join(
    import.meta.dirname,
    "..",
    "..",
    "..",
    "node_modules",
    "better-sqlite3",
    "build",
    "Release",
    "better_sqlite3.node",
  );
  afterEach(() => {
    delete process.env.LARDER_SQLITE_BINDING;
  });

  it("passes the addon it names to the driver", () => {
    expect(sqliteDriverOptions({ LARDER_SQLITE_BINDING: NODE_BUILD })).toEqual({ nativeBinding: NODE_BUILD });
    expect(sqliteDriverOptions({ LARDER_SQLITE_BINDING: "" })).toEqual({});
    expect(sqliteDriverOptions({})).toEqual({});
    process.env.LARDER_SQLITE_BINDING = NODE_BUILD;
    expect(tables(open(join(dir.path, "bound.db"), [first]))).toEqual(["a"]);
  });

  it("says which addon failed to load and how to go back to the default one", () => {
    process.env.LARDER_SQLITE_BINDING = join(dir.path, "missing.node");
    expect(() => open(join(dir.path, "x.db"))).toThrow(
      new RegExp(
        `^Cannot load SQLite's native addon from LARDER_SQLITE_BINDING=${join(dir.path, "missing.node")}: .+\\. ` +
          "Unset LARDER_SQLITE_BINDING to use the one npm install built for Node\\.$",
      ),
    );
  });
});
