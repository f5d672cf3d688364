import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Larder } from "../../../main/engine/larder.js";
import {
  startFixtureUpstream,
  type FixturePackage,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { archivePath, expectedH1 } from "../downloads/download-support.js";

// "Never download the same bytes twice": one zip published under two hosts (or mirrored again after its row was
// deleted) is transferred once and stored once, while each host's own SHA256SUMS and signature are still checked.

const TERRAFORM = "registry.terraform.io";
const OPENTOFU = "registry.opentofu.org";
const VERSION = "1.1.0";
const PLATFORM = "linux_amd64";

/** Every file below a directory, relative to it and sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/**
 * A proxy in front of the fixture that appends a line to every SHA256SUMS, so its signature no longer verifies. It
 * rewrites the fixture's URL in JSON answers to its own, so the SHA256SUMS fetch named by the download answer
 * passes through it too; everything else is forwarded unchanged (and so still counted in fixture.requests).
 */
async function startTamperingProxy(fixture: FixtureUpstream): Promise<{ url: string; server: Server }> {
  let own = "";
  const server = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`${fixture.url}${req.url ?? "/"}`);
      const type = upstream.headers.get("content-type") ?? "application/octet-stream";
      let body = Buffer.from(await upstream.arrayBuffer());
      if (type.includes("json")) body = Buffer.from(body.toString("utf8").replaceAll(fixture.url, own));
      if (req.url?.endsWith("_SHA256SUMS")) {
        body = Buffer.concat([body, Buffer.from(`${"0".repeat(64)}  terraform-provider-evil.zip\n`)]);
      }
      res.writeHead(upstream.status, { "content-type": type, "content-length": body.length }).end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  own = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: own, server };
}

let fixture: FixtureUpstream;
let temp: TempDir;
let larder: Larder | undefined;
let pkg: FixturePackage;

function open(upstreams: ReadonlyMap<string, string>): Promise<Larder> {
  return Larder.open({ dataDir: temp.path, upstreams, http: { retries: 1, retryBaseDelayMs: 10 } });
}

/** Both hosts at the same fixture, each in its own registry's answer shapes. */
function openBothHosts(): Promise<Larder> {
  return open(
    new Map([
      [TERRAFORM, fixture.urlFor("terraform-registry")],
      [OPENTOFU, fixture.urlFor("opentofu-registry")],
    ]),
  );
}

/** Mirrors fixture/alpha 1.1.0 linux_amd64 from one host as a job, as the CLI and the app do. */
async function mirrorAlpha(engine: Larder, host: string): Promise<void> {
  const job = await engine.jobs.createProviderJob({
    address: `${host}/fixture/alpha`,
    versions: [VERSION],
    platforms: [PLATFORM],
  });
  const result = await engine.jobs.run(job.id);
  expect(result.state).toEqual({ status: "succeeded" });
  expect(result.stored).toBe(1);
}

/** The release files the fixture served (under /releases/), in order. */
function releaseRequests(): string[] {
  return fixture.requests.filter((line) => line.startsWith("GET /releases/"));
}

/** The package is listed and servable under `host`, pointing at the one blob with the served bytes. */
async function expectServed(engine: Larder, host: string): Promise<void> {
  const release = { host, namespace: "fixture", type: "alpha", version: VERSION };
  expect(engine.catalog.versions({ host, namespace: "fixture", type: "alpha" })).toEqual([
    { version: VERSION, protocols: ["5.0"], platforms: [{ os: "linux", arch: "amd64" }] },
  ]);
  expect(engine.catalog.download(release, "linux", "amd64")?.shasum).toBe(pkg.sha256);
  expect(engine.catalog.file(release, pkg.filename)?.sha256).toBe(pkg.sha256);
  expect(engine.catalog.mirrorArchives(release)?.map((archive) => archive.hashes)).toEqual([
    [expectedH1(pkg.files), `zh:${pkg.sha256}`],
  ]);
  expect(new Uint8Array(await readFile(engine.store.pathOf(pkg.sha256)))).toEqual(pkg.zip);
}

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  pkg = fixture.packageOf("fixture", "alpha", VERSION, PLATFORM);
});
afterAll(async () => {
  await fixture.stop();
});
beforeEach(async () => {
  temp = await makeTempDir("byte-dedup");
  fixture.clearRequests();
});
afterEach(async () => {
  larder?.close();
  larder = undefined;
  await temp.remove();
});

describe("provider archives are downloaded once", () => {
  const sums = `/releases/fixture/alpha/${VERSION}/terraform-provider-alpha_${VERSION}_SHA256SUMS`;

  it("the same zip under registry.terraform.io and registry.opentofu.org: the second host fetches only its signed checksums", async () => {
    larder = await openBothHosts();
    await mirrorAlpha(larder, TERRAFORM);
    expect(releaseRequests()).toEqual([`GET ${sums}`, `GET ${sums}.sig`, `GET ${archivePath(pkg)}`]);
    const blobs = await filesUnder(join(temp.path, "blobs"));
    expect(blobs).toHaveLength(3); // SHA256SUMS, its signature, the zip

    fixture.clearRequests();
    await mirrorAlpha(larder, OPENTOFU);
    expect(releaseRequests()).toEqual([`GET ${sums}`, `GET ${sums}.sig`]);
    expect(fixture.servedBytes(archivePath(pkg))).toBe(0);
    // The same SHA256SUMS, signature and zip: no new blob at all.
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual(blobs);
    expect(await filesUnder(join(temp.path, "tmp"))).toEqual([]);

    await expectServed(larder, TERRAFORM);
    await expectServed(larder, OPENTOFU);
    expect(larder.storedHosts()).toEqual([OPENTOFU, TERRAFORM]);
  });

  it("a re-mirror after the rows were deleted reuses the blob and computes h1 from it", async () => {
    larder = await openBothHosts();
    await mirrorAlpha(larder, TERRAFORM);
    larder.close();
    larder = undefined;
    const db = new Database(join(temp.path, "larder.db"));
    db.exec("DELETE FROM provider_packages; DELETE FROM provider_releases;");
    db.close();

    fixture.clearRequests();
    larder = await openBothHosts();
    expect(larder.providerInventory()).toEqual([]);
    await mirrorAlpha(larder, TERRAFORM);
    expect(releaseRequests()).toEqual([`GET ${sums}`, `GET ${sums}.sig`]);
    await expectServed(larder, TERRAFORM);
  });

  it("a tampered SHA256SUMS on the second host is refused although the archive is already stored", async () => {
    const proxy = await startTamperingProxy(fixture);
    try {
      larder = await open(
        new Map([
          [TERRAFORM, fixture.url],
          [OPENTOFU, proxy.url],
        ]),
      );
      await mirrorAlpha(larder, TERRAFORM);
      const blobs = await filesUnder(join(temp.path, "blobs"));

      fixture.clearRequests();
      const report = await larder.mirrorProviders({
        address: `${OPENTOFU}/fixture/alpha`,
        versions: [VERSION],
        platforms: [PLATFORM],
      });
      expect(report.stored).toEqual([]);
      expect(report.failed.map((failure) => failure.message)).toEqual([
        expect.stringMatching(/SHA256SUMS signature is invalid/),
      ]);
      expect(releaseRequests()).toEqual([`GET ${sums}`, `GET ${sums}.sig`]);
      // Nothing for the second host: no rows, no blob for its tampered SHA256SUMS, no staged leftovers.
      expect(
        larder.catalog.versions({ host: OPENTOFU, namespace: "fixture", type: "alpha" }),
      ).toBeUndefined();
      expect(larder.storedHosts()).toEqual([TERRAFORM]);
      expect(await filesUnder(join(temp.path, "blobs"))).toEqual(blobs);
      expect(await filesUnder(join(temp.path, "tmp"))).toEqual([]);
      await expectServed(larder, TERRAFORM);
    } finally {
      await new Promise<void>((resolve) =>
        proxy.server.close(() => {
          resolve();
        }),
      );
    }
  });
});

describe("module archives are content-addressed", () => {
  it("the same module version from two hosts is one blob", async () => {
    larder = await openBothHosts();
    for (const host of [TERRAFORM, OPENTOFU]) {
      const report = await larder.mirrorModules({
        address: `${host}/fixture/flat/fixture`,
        versions: [VERSION],
        withDependencies: false,
        platforms: [],
      });
      expect(report.failed).toEqual([]);
      expect(report.stored).toHaveLength(1);
    }
    const stored = larder.moduleInventory();
    expect(stored.map((record) => record.host).sort()).toEqual([OPENTOFU, TERRAFORM]);
    const blob = stored[0]?.archiveBlob ?? "";
    expect(stored[1]?.archiveBlob).toBe(blob);
    // Larder packs its own normalised .tar.gz, so identical trees give identical bytes: one file in the store.
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual([`sha256/${blob.slice(0, 2)}/${blob}`]);
  });
});
