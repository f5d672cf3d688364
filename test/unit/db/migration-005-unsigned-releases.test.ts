import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { migrations } from "../../../main/db/migrations/index.js";
import { ProviderRepository } from "../../../main/db/provider-repository.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
const hash = (char: string): string => char.repeat(64);

const release = {
  host: "registry.opentofu.org",
  namespace: "acme",
  type: "keyless",
  version: "1.0.0",
  shasumsBlob: hash("1"),
  signatureBlob: hash("2"),
  shasumsUrl: "https://example.test/SHA256SUMS",
  signatureUrl: "https://example.test/SHA256SUMS.sig",
};
const pkg = {
  os: "linux",
  arch: "amd64",
  filename: "terraform-provider-keyless_1.0.0_linux_amd64.zip",
  protocols: ["5.0"],
  archiveBlob: hash("3"),
  size: 10,
  h1: "h1:x",
  downloadUrl: "https://example.test/a.zip",
};
const blobs = [hash("1"), hash("2"), hash("3")].map((sha256) => ({ sha256, size: 10 }));

beforeEach(async () => {
  dir = await makeTempDir("db-migration-005");
  const file = join(dir.path, "larder.db");
  // A version-4 database holding a verified release, as an upgraded user's would.
  const v4 = openDatabase(file, migrations.slice(0, 4));
  // Raw SQL: the repository of this release writes the column the migration adds.
  for (const blob of blobs)
    v4.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, '2026-01-01')").run(
      blob.sha256,
      10,
    );
  const { lastInsertRowid } = v4
    .prepare(
      `INSERT INTO provider_releases (host, namespace, type, version, shasums_blob, signature_blob,
         signing_keys_json, verified_key_id, shasums_url, signature_url, created_at)
       VALUES (?, ?, 'old', ?, ?, ?, '[{}]', 'ABC', ?, ?, '2026-01-01')`,
    )
    .run(release.host, release.namespace, release.version, hash("1"), hash("2"), "u", "u");
  v4.prepare(
    `INSERT INTO provider_packages (release_id, os, arch, filename, protocols_json, archive_blob, size, h1,
       download_url, created_at) VALUES (?, 'linux', 'amd64', 'f.zip', '["5.0"]', ?, 10, 'h1:x', 'u', '2026-01-01')`,
  ).run(lastInsertRowid, hash("3"));
  v4.close();
  db = openDatabase(file, migrations);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("migration 005 (unsigned releases)", () => {
  it("keeps every release of an older database signed", () => {
    const [old] = new ProviderRepository(db).summarize();
    expect(old).toMatchObject({ type: "old", signed: true });
  });

  it("records and reads back a keyless release as unsigned", () => {
    const repo = new ProviderRepository(db);
    repo.insertPackage({ ...release, signingKeysJson: "[]", verifiedKeyId: "", signed: false }, pkg, blobs);
    const stored = repo.findPackage(release, "linux", "amd64");
    expect(stored?.release).toMatchObject({ signed: false, verifiedKeyId: "", signingKeysJson: "[]" });
    expect(repo.summarize().find((entry) => entry.type === "keyless")?.signed).toBe(false);
  });

  it("refuses a signed value other than 0 or 1", () => {
    expect(() => db.prepare("UPDATE provider_releases SET signed = 2").run()).toThrow(/CHECK/);
  });
});
