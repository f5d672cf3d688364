import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { IngestSessionRepository, withIngestSession } from "../../../main/db/ingest-session-repository.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;

beforeEach(async () => {
  dir = await makeTempDir("db-migration-008");
  const file = join(dir.path, "larder.db");
  // A database of the release before, holding a setting, as an upgraded user's would.
  const before = openDatabase(
    file,
    migrations.filter((migration) => migration.id < 8),
  );
  before
    .prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('clients', '[\"tofu\"]', 'x')")
    .run();
  before.close();
  db = openDatabase(file, migrations.slice(0, 8));
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 008 (ingest sessions)", () => {
  it("upgrades an older database, keeping its data, with an empty ingest_sessions table", () => {
    expect(db.pragma("user_version", { simple: true })).toBe(8);
    expect(db.prepare("SELECT value_json FROM settings").get()).toEqual({ value_json: '["tofu"]' });
    expect(db.prepare("SELECT count(*) AS n FROM ingest_sessions").get()).toEqual({ n: 0 });
  });

  it("records, lists and ends sessions", () => {
    const sessions = new IngestSessionRepository(db);
    const first = sessions.start(41, "a", 2000);
    const second = sessions.start(42, "b", 1000);
    expect(sessions.all()).toEqual([
      { id: second, pid: 42, host: "b", startedAtMs: 1000 },
      { id: first, pid: 41, host: "a", startedAtMs: 2000 },
    ]);
    sessions.end(first);
    sessions.remove([second]);
    expect(sessions.all()).toEqual([]);
  });

  it("withIngestSession holds a row for this process while the work runs and removes it even when it throws", async () => {
    const sessions = new IngestSessionRepository(db);
    await expect(
      withIngestSession(sessions, () => {
        expect(sessions.all()).toEqual([expect.objectContaining({ pid: process.pid, host: hostname() })]);
        return Promise.reject(new Error("ingest failed"));
      }),
    ).rejects.toThrow("ingest failed");
    expect(sessions.all()).toEqual([]);
  });

  it("refuses a row without its pid, host or start", () => {
    expect(() =>
      db.prepare("INSERT INTO ingest_sessions (host, started_at_ms) VALUES ('h', 1)").run(),
    ).toThrow(/SQLITE_CONSTRAINT_NOTNULL/);
  });
});
