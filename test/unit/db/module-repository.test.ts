import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { ModuleRepository, type ModuleVersionRecord } from "../../../main/db/module-repository.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
let repo: ModuleRepository;

const hash = (char: string): string => char.repeat(64);

function record(archiveBlob: string): ModuleVersionRecord {
  return {
    host: "registry.terraform.io",
    namespace: "fixture",
    name: "flat",
    system: "fixture",
    version: "1.0.0",
    archiveBlob,
    size: 100,
    subdir: "",
    sourceKind: "archive",
    upstreamLocation: "https://example.test/flat-1.0.0.zip",
  };
}

function count(table: string): number {
  return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
}

beforeEach(async () => {
  dir = await makeTempDir("db-modules");
  db = openDatabase(join(dir.path, "larder.db"));
  repo = new ModuleRepository(db);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("ModuleRepository.insert", () => {
  // Another process may store the same version between the engine's check and this insert.
  it("takes the same version with the same archive again as already present, not a constraint error", () => {
    repo.insert(record(hash("a")), { sha256: hash("a"), size: 100 });
    repo.insert(record(hash("a")), { sha256: hash("a"), size: 100 });
    expect(count("module_versions")).toBe(1);
    expect(count("blobs")).toBe(1);
  });

  it("refuses the same version with another archive, recording nothing of it", () => {
    repo.insert(record(hash("a")), { sha256: hash("a"), size: 100 });
    expect(() => {
      repo.insert(record(hash("b")), { sha256: hash("b"), size: 100 });
    }).toThrow(
      new RegExp(`already holds an archive with sha256 ${hash("a")}, but upstream now gives ${hash("b")}`),
    );
    expect(count("module_versions")).toBe(1);
    expect(count("blobs")).toBe(1);
    expect(repo.all().map((stored) => stored.archiveBlob)).toEqual([hash("a")]);
  });
});
