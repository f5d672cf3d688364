import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import {
  ProviderRepository,
  type BlobRecord,
  type PackageRecord,
  type ReleaseRecord,
} from "../../../main/db/provider-repository.js";
import { sqliteRefusal } from "../../helpers/sqlite-refusal.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let db: Db;
let repo: ProviderRepository;

const hash = (char: string): string => char.repeat(64);

function release(version: string, overrides: Partial<ReleaseRecord> = {}): ReleaseRecord {
  return {
    host: "registry.terraform.io",
    namespace: "hashicorp",
    type: "null",
    version,
    shasumsBlob: hash("1"),
    signatureBlob: hash("2"),
    signingKeysJson: '[{"key_id":"ABC"}]',
    verifiedKeyId: "34365D9472D7468F",
    signed: true,
    shasumsUrl: `https://releases.example/${version}/SHA256SUMS`,
    signatureUrl: `https://releases.example/${version}/SHA256SUMS.sig`,
    ...overrides,
  };
}

function pkg(
  os: string,
  arch: string,
  archive: string,
  overrides: Partial<PackageRecord> = {},
): PackageRecord {
  return {
    os,
    arch,
    filename: `terraform-provider-null_${os}_${arch}.zip`,
    protocols: ["5.0"],
    archiveBlob: archive,
    size: 100,
    h1: `h1:${os}${arch}=`,
    downloadUrl: `https://releases.example/${os}_${arch}.zip`,
    ...overrides,
  };
}

function blobs(...hashes: string[]): BlobRecord[] {
  return [hash("1"), hash("2"), ...hashes].map((sha256) => ({ sha256, size: 100 }));
}

function count(table: string): number {
  return db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;
}

beforeEach(async () => {
  dir = await makeTempDir("db-providers");
  db = openDatabase(join(dir.path, "larder.db"));
  repo = new ProviderRepository(db);
});

afterEach(async () => {
  db.close();
  await dir.remove();
});

describe("ProviderRepository.insertPackage", () => {
  it("refuses a platform whose SHA256SUMS differs from the one stored for the release, storing nothing of it", () => {
    repo.insertPackage(release("3.2.3"), pkg("linux", "amd64", hash("a")), blobs(hash("a")));
    const changed = release("3.2.3", { shasumsBlob: hash("9") });
    expect(() => {
      repo.insertPackage(changed, pkg("darwin", "arm64", hash("b")), [
        { sha256: hash("9"), size: 1 },
        ...blobs(hash("b")),
      ]);
    }).toThrow(/SHA256SUMS differs from the one stored/);
    expect(repo.findPackage(changed, "darwin", "arm64")).toBeUndefined();
    expect(count("blobs")).toBe(3);
  });

  it("treats the same bytes stored meanwhile by another process as already present, not a constraint error", () => {
    repo.insertPackage(release("3.2.3"), pkg("linux", "amd64", hash("a")), blobs(hash("a")));
    expect(() => {
      repo.insertPackage(release("3.2.3"), pkg("linux", "amd64", hash("a")), blobs(hash("a")));
    }).not.toThrow();
    expect(count("provider_packages")).toBe(1);
  });

  it("stores a package with its release and blobs, readable by platform and by filename", () => {
    const record = pkg("linux", "amd64", hash("a"), { protocols: ["5.0", "6.0"] });
    repo.insertPackage(release("3.2.3"), record, blobs(hash("a")));
    const key = release("3.2.3");
    const expected = { ...record, release: release("3.2.3") };
    expect(repo.findPackage(key, "linux", "amd64")).toEqual(expected);
    expect(repo.findPackageByFilename(key, record.filename)).toEqual(expected);
    expect(repo.findRelease(key)).toEqual(release("3.2.3"));
    expect(count("blobs")).toBe(3);
  });

  it("adds further platforms to the existing release and shares blobs already recorded", () => {
    repo.insertPackage(release("3.2.3"), pkg("linux", "amd64", hash("a")), blobs(hash("a")));
    repo.insertPackage(release("3.2.3"), pkg("darwin", "arm64", hash("b")), blobs(hash("b")));
    expect(count("provider_releases")).toBe(1);
    expect(count("blobs")).toBe(4);
    expect(
      repo.listPackages("registry.terraform.io", "hashicorp", "null").map((p) => `${p.os}_${p.arch}`),
    ).toEqual(["darwin_arm64", "linux_amd64"]);
  });

  it("leaves nothing of a new release behind when its package row cannot be written", () => {
    repo.insertPackage(release("1.0.0"), pkg("linux", "amd64", hash("a")), blobs(hash("a")));
    const newRelease = release("2.0.0", { shasumsBlob: hash("3"), signatureBlob: hash("4") });
    const newBlobs = [hash("3"), hash("4")].map((sha256) => ({ sha256, size: 5 }));
    // The archive blob is not among the call's blobs, so the package row fails its foreign key.
    expect(() => {
      repo.insertPackage(newRelease, pkg("linux", "amd64", hash("f")), newBlobs);
    }).toThrow(sqliteRefusal(/FOREIGN KEY constraint failed/));
    expect(repo.findRelease(release("2.0.0"))).toBeUndefined();
    expect(count("provider_releases")).toBe(1);
    expect(count("blobs")).toBe(3);
    expect(db.prepare("SELECT 1 FROM blobs WHERE sha256 IN (?, ?)").all(hash("3"), hash("4"))).toEqual([]);
  });

  it("refuses a second package for the same platform without recording its blobs or touching the first", () => {
    const first = pkg("linux", "amd64", hash("a"));
    repo.insertPackage(release("1.0.0"), first, blobs(hash("a")));
    expect(() => {
      repo.insertPackage(
        release("1.0.0"),
        pkg("linux", "amd64", hash("b"), { filename: "x.zip" }),
        blobs(hash("b")),
      );
    }).toThrow(
      new RegExp(`already holds an archive with sha256 ${hash("a")}, but upstream now serves ${hash("b")}`),
    );
    expect(count("blobs")).toBe(3);
    expect(count("provider_packages")).toBe(1);
    expect(repo.findPackage(release("1.0.0"), "linux", "amd64")).toMatchObject({
      archiveBlob: hash("a"),
      filename: first.filename,
    });
    expect(repo.findPackageByFilename(release("1.0.0"), "x.zip")).toBeUndefined();
  });
});

describe("ProviderRepository lookups", () => {
  beforeEach(() => {
    repo.insertPackage(release("2.0.0"), pkg("linux", "amd64", hash("c")), blobs(hash("c")));
    repo.insertPackage(release("1.0.0"), pkg("windows", "amd64", hash("b")), blobs(hash("b")));
    repo.insertPackage(release("1.0.0"), pkg("darwin", "arm64", hash("a"), { size: 50 }), blobs(hash("a")));
    const aws = { type: "aws", shasumsBlob: hash("5"), signatureBlob: hash("6") };
    const awsBlobs = [hash("5"), hash("6"), hash("d")].map((sha256) => ({ sha256, size: 1 }));
    repo.insertPackage(release("5.0.0", aws), pkg("linux", "amd64", hash("d"), { size: 7 }), awsBlobs);
    const tofu = { host: "registry.opentofu.org" };
    repo.insertPackage(
      release("3.0.0", tofu),
      pkg("linux", "arm64", hash("e"), { size: 9 }),
      blobs(hash("e")),
    );
  });

  it("lists one provider's packages ordered by version then platform, and nothing for others", () => {
    const listed = repo.listPackages("registry.terraform.io", "hashicorp", "null");
    expect(listed.map((p) => [p.release.version, `${p.os}_${p.arch}`])).toEqual([
      ["1.0.0", "darwin_arm64"],
      ["1.0.0", "windows_amd64"],
      ["2.0.0", "linux_amd64"],
    ]);
    expect(listed[0]?.release).toEqual(release("1.0.0"));
    expect(repo.listPackages("registry.terraform.io", "hashicorp", "nope")).toEqual([]);
    expect(repo.listPlatforms("registry.terraform.io", "hashicorp", "null")).toEqual(
      listed.map((p) => ({ version: p.release.version, os: p.os, arch: p.arch, protocols: p.protocols })),
    );
    expect(repo.listReleasePackages(release("1.0.0")).map((p) => p.archiveBlob)).toEqual(
      listed.filter((p) => p.release.version === "1.0.0").map((p) => p.archiveBlob),
    );
    expect(repo.listReleasePackages(release("9.9.9"))).toEqual([]);
    expect(
      repo.listPackages("registry.opentofu.org", "hashicorp", "null").map((p) => p.release.version),
    ).toEqual(["3.0.0"]);
  });

  it("finds a package only with the exact release key and platform", () => {
    const key = release("1.0.0");
    expect(repo.findPackage(key, "darwin", "arm64")?.archiveBlob).toBe(hash("a"));
    expect(repo.findPackage(key, "linux", "amd64")).toBeUndefined();
    expect(repo.findPackage(release("9.9.9"), "darwin", "arm64")).toBeUndefined();
    expect(repo.findPackage({ ...key, host: "registry.opentofu.org" }, "darwin", "arm64")).toBeUndefined();
    expect(repo.findPackageByFilename(key, "terraform-provider-null_windows_amd64.zip")?.os).toBe("windows");
    expect(repo.findPackageByFilename(key, "terraform-provider-null_linux_amd64.zip")).toBeUndefined();
    expect(repo.findRelease(release("9.9.9"))).toBeUndefined();
  });

  it("summarises every stored version with its platforms and total size, sorted by address and version", () => {
    expect(repo.summarize()).toEqual([
      {
        host: "registry.opentofu.org",
        namespace: "hashicorp",
        type: "null",
        version: "3.0.0",
        platforms: ["linux_arm64"],
        signed: true,
        totalSize: 9,
      },
      {
        host: "registry.terraform.io",
        namespace: "hashicorp",
        type: "aws",
        version: "5.0.0",
        platforms: ["linux_amd64"],
        signed: true,
        totalSize: 7,
      },
      {
        host: "registry.terraform.io",
        namespace: "hashicorp",
        type: "null",
        version: "1.0.0",
        platforms: ["darwin_arm64", "windows_amd64"],
        signed: true,
        totalSize: 150,
      },
      {
        host: "registry.terraform.io",
        namespace: "hashicorp",
        type: "null",
        version: "2.0.0",
        platforms: ["linux_amd64"],
        signed: true,
        totalSize: 100,
      },
    ]);
  });

  it("names each upstream host with a stored package once, in order", () => {
    expect(repo.hosts()).toEqual(["registry.opentofu.org", "registry.terraform.io"]);
  });
});

describe("ProviderRepository on an empty database", () => {
  it("has no packages, versions or hosts", () => {
    expect(repo.summarize()).toEqual([]);
    expect(repo.hosts()).toEqual([]);
    expect(repo.listPackages("registry.terraform.io", "hashicorp", "null")).toEqual([]);
  });
});
