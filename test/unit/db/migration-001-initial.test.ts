import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migration001Initial } from "../../../main/db/migrations/001-initial.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;

const SHA_A = "a".repeat(64);
const SHA_B = "b".repeat(64);
const NOW = "2024-01-01T00:00:00.000Z";

function insertBlob(sha256: string, size = 1): void {
  db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)").run(sha256, size, NOW);
}

function insertRelease(version: string, shasums = SHA_A): number {
  const result = db
    .prepare(
      `INSERT INTO provider_releases (host, namespace, type, version, shasums_blob, signature_blob, signing_keys_json,
         verified_key_id, shasums_url, signature_url, created_at) VALUES ('h', 'n', 't', ?, ?, ?, '[]', 'K', 'u', 'v', ?)`,
    )
    .run(version, shasums, SHA_A, NOW);
  return Number(result.lastInsertRowid);
}

function insertPackage(releaseId: number, os: string, filename: string, archive = SHA_B): void {
  db.prepare(
    `INSERT INTO provider_packages (release_id, os, arch, filename, protocols_json, archive_blob, size, h1, download_url,
       created_at) VALUES (?, ?, 'amd64', ?, '["5.0"]', ?, 10, 'h1:x', 'u', ?)`,
  ).run(releaseId, os, filename, archive, NOW);
}

function count(table: string): number {
  return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
}

beforeEach(async () => {
  dir = await makeTempDir("db-migration-001");
  db = openDatabase(join(dir.path, "larder.db"), [migration001Initial]);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 001 (initial)", () => {
  it("creates the blob and provider tables on an empty database and sets user_version 1", () => {
    expect(migration001Initial.id).toBe(1);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    const objects = db
      .prepare<[], { type: string; name: string }>(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
      )
      .all();
    expect(objects).toEqual([
      { type: "index", name: "provider_packages_archive" },
      { type: "table", name: "blobs" },
      { type: "table", name: "provider_packages" },
      { type: "table", name: "provider_releases" },
    ]);
  });

  it("accepts only 64-character hashes and non-negative sizes for blobs, each hash once", () => {
    insertBlob(SHA_A, 0);
    expect(() => {
      insertBlob("abc");
    }).toThrow(sqliteRefusal(/CHECK constraint failed/));
    expect(() => {
      insertBlob(SHA_B, -1);
    }).toThrow(sqliteRefusal(/CHECK constraint failed/));
    expect(() => {
      insertBlob(SHA_A);
    }).toThrow(sqliteRefusal(/UNIQUE constraint failed|PRIMARY KEY/));
    expect(() =>
      db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)").run(SHA_B, "ten", NOW),
    ).toThrow(sqliteRefusal(/cannot store TEXT value in INTEGER column/));
    expect(count("blobs")).toBe(1);
  });

  it("refuses a release whose SHA256SUMS or signature blob is not stored", () => {
    expect(() => insertRelease("1.0.0")).toThrow(sqliteRefusal(/FOREIGN KEY constraint failed/));
    expect(count("provider_releases")).toBe(0);
  });

  it("keeps one release per host/namespace/type/version", () => {
    insertBlob(SHA_A);
    insertRelease("1.0.0");
    insertRelease("1.1.0");
    expect(() => insertRelease("1.0.0")).toThrow(
      sqliteRefusal(/UNIQUE constraint failed: provider_releases/),
    );
    expect(count("provider_releases")).toBe(2);
  });

  it("keeps one package per platform and per filename in a release, and needs its archive blob", () => {
    insertBlob(SHA_A);
    insertBlob(SHA_B);
    const release = insertRelease("1.0.0");
    insertPackage(release, "linux", "p_linux_amd64.zip");
    expect(() => {
      insertPackage(release, "linux", "other.zip");
    }).toThrow(sqliteRefusal(/UNIQUE constraint failed/));
    expect(() => {
      insertPackage(release, "darwin", "p_linux_amd64.zip");
    }).toThrow(sqliteRefusal(/UNIQUE constraint failed/));
    expect(() => {
      insertPackage(release, "darwin", "p_darwin_amd64.zip", "c".repeat(64));
    }).toThrow(sqliteRefusal(/FOREIGN KEY/));
    expect(() => {
      insertPackage(release + 100, "darwin", "p_darwin_amd64.zip");
    }).toThrow(sqliteRefusal(/FOREIGN KEY/));
    insertPackage(insertRelease("2.0.0"), "linux", "p_linux_amd64.zip");
    expect(count("provider_packages")).toBe(2);
  });

  it("deletes a release's packages with it, and keeps blobs that are still referenced", () => {
    insertBlob(SHA_A);
    insertBlob(SHA_B);
    const release = insertRelease("1.0.0");
    insertPackage(release, "linux", "a.zip");
    insertPackage(release, "darwin", "b.zip");
    expect(() => db.prepare("DELETE FROM blobs WHERE sha256 = ?").run(SHA_B)).toThrow(
      sqliteRefusal(/FOREIGN KEY/),
    );
    db.prepare("DELETE FROM provider_releases WHERE id = ?").run(release);
    expect(count("provider_packages")).toBe(0);
    expect(count("blobs")).toBe(2);
  });
});
