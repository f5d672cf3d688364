import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { access, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Larder } from "../../../main/engine/larder.js";
import {
  defaultFixtureProviders,
  keylessFixtureProvider,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { archivePath } from "../downloads/download-support.js";

// larder gc: removes exactly the unreferenced blobs, and never one a running ingest (in any process) may need.

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";
const HOUR_AGO = (): Date => new Date(Date.now() - 3600_000);

let fixture: FixtureUpstream;
let temp: TempDir;
let larder: Larder;
let db: Database.Database;
const children: ChildProcess[] = [];

beforeAll(async () => {
  fixture = await startFixtureUpstream({ providers: [...defaultFixtureProviders, keylessFixtureProvider] });
});
afterAll(async () => {
  await fixture.stop();
});
beforeEach(async () => {
  temp = await makeTempDir("gc");
  larder = await Larder.open({
    dataDir: temp.path,
    upstreams: new Map([
      [TF, fixture.urlFor("terraform-registry")],
      [TOFU, fixture.urlFor("opentofu-registry")],
    ]),
    http: { retries: 1, retryBaseDelayMs: 10 },
  });
  // A second handle, as another process would have, to look at and plant ingest_sessions rows.
  db = new Database(join(temp.path, "larder.db"));
  db.pragma("busy_timeout = 5000");
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
  db.close();
  larder.close();
  await temp.remove();
});

async function mirror(address: string, version: string, platforms: string[]): Promise<void> {
  const report = await larder.mirrorProviders({ address, versions: [version], platforms });
  expect(report.failed).toEqual([]);
}

/** Every blob file looks written an hour ago: old enough for gc unless something protects it. */
async function ageAllBlobs(): Promise<void> {
  for (const file of larder.store.listFilesSync())
    await utimes(larder.store.pathOf(file.sha256), HOUR_AGO(), HOUR_AGO());
}

/** Commits a blob no row references, as an ingest does just before its insert. */
async function commitOrphan(text: string): Promise<{ sha256: string; size: number }> {
  const staged = await larder.store.stageBytes(Buffer.from(text));
  await larder.store.commit(staged);
  return { sha256: staged.sha256, size: staged.size };
}

async function exists(sha256: string): Promise<boolean> {
  return access(larder.store.pathOf(sha256)).then(
    () => true,
    () => false,
  );
}

function sessionCount(): number {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM ingest_sessions").get()?.n ?? 0;
}

/** A pid that certainly runs no process any more. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await once(child, "exit");
  return child.pid ?? 999_999;
}

/** Another process holding an ingest session that started `ageMs` ago, until it is killed. */
async function sessionInAnotherProcess(ageMs: number): Promise<ChildProcess> {
  const script = `
    import Database from "better-sqlite3";
    import { hostname } from "node:os";
    const db = new Database(process.argv[1]);
    db.pragma("busy_timeout = 5000");
    db.prepare("INSERT INTO ingest_sessions (pid, host, started_at_ms) VALUES (?, ?, ?)")
      .run(process.pid, hostname(), Date.now() - ${ageMs});
    console.log("ready");
    setInterval(() => undefined, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, join(temp.path, "larder.db")], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await once(child.stdout, "data");
  return child;
}

describe("Larder.collectGarbage", () => {
  it("dry run reports exactly what the real run removes: the unreferenced blobs, nothing referenced", async () => {
    await mirror(`${TF}/fixture/alpha`, "1.1.0", ["linux_amd64", "darwin_arm64"]);
    await ageAllBlobs();
    expect(larder.collectGarbage({ dryRun: true })).toEqual({ dryRun: true, blobs: 0, bytes: 0 });
    const linux = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64");
    const darwin = fixture.packageOf("fixture", "alpha", "1.1.0", "darwin_arm64");
    larder.deleteProvider({
      host: TF,
      namespace: "fixture",
      type: "alpha",
      version: "1.1.0",
      platform: { os: "linux", arch: "amd64" },
    });
    const before = larder.store.listFilesSync().map((file) => file.sha256);
    expect(larder.diskUsage().unreferencedBytes).toBe(linux.zip.length);
    const dry = larder.collectGarbage({ dryRun: true });
    expect(dry).toEqual({ dryRun: true, blobs: 1, bytes: linux.zip.length });
    expect(larder.store.listFilesSync().map((file) => file.sha256)).toEqual(before);
    expect(larder.collectGarbage({ dryRun: false })).toEqual({ ...dry, dryRun: false });
    expect(await exists(linux.sha256)).toBe(false);
    expect(await exists(darwin.sha256)).toBe(true);
    // The release's SHA256SUMS and signature are still referenced by the darwin package.
    const release = larder.catalog.download(
      { host: TF, namespace: "fixture", type: "alpha", version: "1.1.0" },
      "darwin",
      "arm64",
    );
    expect(release?.shasum).toBe(darwin.sha256);
    expect(larder.store.listFilesSync()).toHaveLength(3);
    expect(db.prepare("SELECT sha256 FROM blobs WHERE sha256 = ?").get(linux.sha256)).toBeUndefined();
    expect(larder.collectGarbage({ dryRun: true })).toEqual({ dryRun: true, blobs: 0, bytes: 0 });
  });

  it("keeps a blob committed during another process's live session, and removes it once that process is gone", async () => {
    // The session started a minute ago; the blob was written half a minute ago, so only the session protects it.
    const child = await sessionInAnotherProcess(60_000);
    const orphan = await commitOrphan("committed but not yet referenced");
    const halfMinuteAgo = new Date(Date.now() - 30_000);
    await utimes(larder.store.pathOf(orphan.sha256), halfMinuteAgo, halfMinuteAgo);
    expect(larder.collectGarbage({ dryRun: true })).toEqual({ dryRun: true, blobs: 0, bytes: 0 });
    expect(larder.collectGarbage({ dryRun: false }).blobs).toBe(0);
    expect(await exists(orphan.sha256)).toBe(true);
    expect(sessionCount()).toBe(1);
    child.kill();
    await once(child, "exit");
    // Its session row is left behind (killed), but its pid is gone: ignored, and swept by the real run.
    expect(larder.collectGarbage({ dryRun: true })).toEqual({ dryRun: true, blobs: 1, bytes: orphan.size });
    expect(sessionCount()).toBe(1);
    expect(larder.collectGarbage({ dryRun: false })).toEqual({ dryRun: false, blobs: 1, bytes: orphan.size });
    expect(await exists(orphan.sha256)).toBe(false);
    expect(sessionCount()).toBe(0);
  });

  it("keeps a fresh unreferenced blob even with no session (committed moments ago), removes it once old", async () => {
    const orphan = await commitOrphan("just committed");
    expect(larder.collectGarbage({ dryRun: false }).blobs).toBe(0);
    await utimes(larder.store.pathOf(orphan.sha256), HOUR_AGO(), HOUR_AGO());
    expect(larder.collectGarbage({ dryRun: false })).toEqual({ dryRun: false, blobs: 1, bytes: orphan.size });
  });

  it("commit stamps the commit time, not the staged file's: an old finished download is not taken for garbage", async () => {
    const staged = await larder.store.stageBytes(Buffer.from("a download finished last week"));
    await utimes(staged.tempPath, HOUR_AGO(), HOUR_AGO());
    await larder.store.commit(staged);
    expect(larder.collectGarbage({ dryRun: true }).blobs).toBe(0);
  });

  it("a blob reused by dedup after its row was deleted is touched and kept, and is not downloaded again", async () => {
    const pkg = fixture.packageOf("fixture", "alpha", "2.0.0", "linux_amd64");
    await mirror(`${TF}/fixture/alpha`, "2.0.0", ["linux_amd64"]);
    larder.deleteProvider({ host: TF, namespace: "fixture", type: "alpha", version: "2.0.0" });
    await ageAllBlobs();
    expect(larder.collectGarbage({ dryRun: true }).blobs).toBe(3);
    // What an ingest starting after this point does: the touch is the existence check.
    expect(await larder.store.touch(pkg.sha256)).toBe(pkg.zip.length);
    expect(larder.collectGarbage({ dryRun: true }).blobs).toBe(2);
    await ageAllBlobs();
    fixture.clearRequests();
    await mirror(`${TF}/fixture/alpha`, "2.0.0", ["linux_amd64"]);
    expect(fixture.requests.filter((line) => line.includes(archivePath(pkg)))).toEqual([]);
    expect(larder.collectGarbage({ dryRun: false })).toEqual({ dryRun: false, blobs: 0, bytes: 0 });
    expect(await exists(pkg.sha256)).toBe(true);
  });

  it("ignores and sweeps a session of a dead process on this host; the dry run sweeps nothing", async () => {
    db.prepare("INSERT INTO ingest_sessions (pid, host, started_at_ms) VALUES (?, ?, ?)").run(
      await deadPid(),
      hostname(),
      Date.now() - 7200_000,
    );
    const orphan = await commitOrphan("left by a crashed ingest");
    await utimes(larder.store.pathOf(orphan.sha256), HOUR_AGO(), HOUR_AGO());
    expect(larder.collectGarbage({ dryRun: true }).blobs).toBe(1);
    expect(sessionCount()).toBe(1);
    expect(larder.collectGarbage({ dryRun: false }).blobs).toBe(1);
    expect(sessionCount()).toBe(0);
  });

  it("a real ingest holds a session while it runs and removes it when done", async () => {
    const pkg = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64");
    fixture.stallAfter(archivePath(pkg), 10, 1500);
    const running = mirror(`${TF}/fixture/alpha`, "1.1.0", ["linux_amd64"]);
    const deadline = Date.now() + 10_000;
    while (sessionCount() === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sessionCount()).toBe(1);
    expect(larder.collectGarbage({ dryRun: false }).blobs).toBe(0);
    await running;
    expect(sessionCount()).toBe(0);
    expect(
      larder.catalog.download(
        { host: TF, namespace: "fixture", type: "alpha", version: "1.1.0" },
        "linux",
        "amd64",
      )?.shasum,
    ).toBe(pkg.sha256);
  });
});

describe("Larder.diskUsage and inventory", () => {
  it("counts a zip stored under two hosts once in the total and in each host", async () => {
    await mirror(`${TF}/fixture/alpha`, "1.1.0", ["linux_amd64"]);
    await mirror(`${TOFU}/fixture/alpha`, "1.1.0", ["linux_amd64"]);
    await ageAllBlobs();
    const zip = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip.length;
    const usage = larder.diskUsage();
    expect(usage.hosts.map((host) => host.host)).toEqual([TOFU, TF]);
    for (const host of usage.hosts) {
      expect(host.providers).toEqual([{ address: `${host.host}/fixture/alpha`, bytes: host.bytes }]);
      expect(host.bytes).toBeGreaterThan(zip);
    }
    const [tofu, tf] = usage.hosts;
    expect(usage.totalBytes).toBeLessThanOrEqual((tofu?.bytes ?? 0) + (tf?.bytes ?? 0) - zip);
    expect(usage.unreferencedBytes).toBe(0);
    expect(usage.onDiskBytes).toBe(usage.totalBytes);
    const inventory = larder.inventory();
    expect(inventory.totalBytes).toBe(zip);
    expect(inventory.hosts.map((host) => [host.host, host.clients, host.bytes])).toEqual([
      [TOFU, ["tofu"], zip],
      [TF, ["terraform"], zip],
    ]);
  });

  it("inventories a keyless provider as unsigned with keyId null", async () => {
    await mirror(`${TOFU}/fixture/keyless`, "1.0.0", ["linux_amd64"]);
    const version = larder.inventory().hosts[0]?.providers[0]?.versions[0];
    expect(version).toMatchObject({ version: "1.0.0", signed: false, keyId: null });
  });
});
