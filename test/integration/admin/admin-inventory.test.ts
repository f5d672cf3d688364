import { spawn } from "node:child_process";
import { once } from "node:events";
import { access, utimes } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiErrorSchema,
  auditPageSchema,
  deleteModuleResponseSchema,
  deleteProviderResponseSchema,
  diskUsageSchema,
  gcResponseSchema,
  inventorySchema,
  type Inventory,
} from "../../../shared/api/index.js";
import { LARDER_BIN, cliEnv } from "../../helpers/larder-cli.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { archivePath } from "../downloads/download-support.js";
import {
  ALPHA,
  ALPHA_PLATFORMS,
  ALPHA_VERSIONS,
  archivesSchema,
  BETA,
  BETA_PLATFORMS,
  BETA_VERSIONS,
  downloadSchema,
  fetchBytes,
  fetchJson,
  sha256Hex,
  versionsSchema,
} from "../server/harness.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

// The admin API's inventory and storage routes over a real server and data dir: the stored tree and its lock
// hashes, disk usage, deletes (never served afterwards), garbage collection and its safety during an ingest.

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";
const HOUR_AGO = (): Date => new Date(Date.now() - 3600_000);

async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text()) as unknown;
}

async function inventoryOf(h: AdminHarness): Promise<Inventory> {
  const response = await h.api("/api/inventory");
  expect(response.status).toBe(200);
  return inventorySchema.parse(await json(response));
}

/** The stored platforms of one provider version, as os_arch, sorted; [] when the version is gone. */
function platformsIn(inventory: Inventory, host: string, type: string, version: string): string[] {
  const provider = inventory.hosts
    .find((entry) => entry.host === host)
    ?.providers.find((entry) => entry.namespace === "fixture" && entry.type === type);
  const stored = provider?.versions.find((entry) => entry.version === version);
  return (stored?.platforms ?? []).map((platform) => `${platform.os}_${platform.arch}`).sort();
}

/** The field paths of a 400 answer. */
async function badInput(response: Response): Promise<string[]> {
  expect(response.status).toBe(400);
  const body = apiErrorSchema.parse(await json(response));
  expect(body.errors.length).toBeGreaterThan(0);
  return (body.fields ?? []).map((field) => field.path);
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Every blob file looks written an hour ago: old enough for gc unless a row or a live ingest protects it. */
async function ageAllBlobs(h: AdminHarness): Promise<void> {
  for (const file of h.larder.store.listFilesSync())
    await utimes(h.larder.store.pathOf(file.sha256), HOUR_AGO(), HOUR_AGO());
}

/** The providers.v1 download answer for one platform: its status and, when found, the parsed body. */
async function download(h: AdminHarness, address: string, version: string, platform: string) {
  const [os, arch] = platform.split("_");
  const answer = await fetchJson(
    `${h.server.httpUrl}/v1/providers/${address}/${version}/download/${os}/${arch}`,
  );
  return {
    status: answer.status,
    body: answer.status === 200 ? downloadSchema.parse(answer.body) : undefined,
  };
}

describe("admin inventory, usage, delete and gc", { timeout: 120_000 }, () => {
  let h: AdminHarness;
  let events: SseReader;

  beforeAll(async () => {
    h = await startAdminHarness("admin-inventory");
    const report = await h.larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: ["1.0.0", "1.1.0"],
      withDependencies: false,
      platforms: [],
    });
    if (report.failed.length > 0) throw new Error(`module mirror failed: ${JSON.stringify(report.failed)}`);
    events = await SseReader.open(`${h.server.httpUrl}/api/events`, { authorization: `Bearer ${h.token}` });
  });

  afterAll(async () => {
    events.close();
    await h.stop();
  });

  it("GET /api/inventory lists the seeded hosts, providers, versions and platforms", async () => {
    const inventory = await inventoryOf(h);
    expect(inventory.hosts.map((host) => host.host).sort()).toEqual([TOFU, TF].sort());
    for (const version of ALPHA_VERSIONS)
      expect(platformsIn(inventory, TF, "alpha", version)).toEqual([...ALPHA_PLATFORMS].sort());
    for (const version of BETA_VERSIONS)
      expect(platformsIn(inventory, TOFU, "beta", version)).toEqual([...BETA_PLATFORMS].sort());
    const tf = inventory.hosts.find((host) => host.host === TF);
    expect(tf?.clients).toEqual(["terraform"]);
    expect(tf?.providers.map((provider) => provider.type)).toEqual(["alpha"]);
    expect(tf?.providers[0]?.versions.map((version) => version.version).sort()).toEqual([...ALPHA_VERSIONS]);
    expect(tf?.modules.map((module) => `${module.namespace}/${module.name}/${module.system}`)).toEqual([
      "fixture/flat/fixture",
    ]);
    expect(tf?.modules[0]?.versions.map((version) => version.version).sort()).toEqual(["1.0.0", "1.1.0"]);
    const tofu = inventory.hosts.find((host) => host.host === TOFU);
    expect(tofu?.providers.map((provider) => provider.type)).toEqual(["beta"]);
    for (const provider of [...(tf?.providers ?? []), ...(tofu?.providers ?? [])]) {
      for (const version of provider.versions) {
        expect(version.signed).toBe(true);
        expect(version.keyId).toMatch(/^[0-9A-F]{16}$/);
        for (const platform of version.platforms) {
          const pkg = h.fixture.packageOf(
            "fixture",
            provider.type,
            version.version,
            `${platform.os}_${platform.arch}`,
          );
          expect(platform.size).toBe(pkg.zip.length);
          expect(platform.sha256).toBe(pkg.sha256);
          expect(platform.filename).toBe(pkg.filename);
        }
      }
    }
    expect(inventory.totalBytes).toBeGreaterThan(0);
  });

  it("reports the same h1: and zh: hashes the network mirror lists, and zh: is the download's shasum", async () => {
    const inventory = await inventoryOf(h);
    for (const [host, address, type, versions] of [
      [TF, ALPHA, "alpha", ALPHA_VERSIONS],
      [TOFU, BETA, "beta", BETA_VERSIONS],
    ] as const) {
      const provider = inventory.hosts
        .find((entry) => entry.host === host)
        ?.providers.find((entry) => entry.type === type);
      for (const version of versions) {
        const mirror = await fetchJson(`${h.server.httpUrl}/providers/${address}/${version}.json`);
        expect(mirror.status).toBe(200);
        const { archives } = archivesSchema.parse(mirror.body);
        const stored = provider?.versions.find((entry) => entry.version === version);
        expect(stored?.platforms.length).toBe(Object.keys(archives).length);
        for (const platform of stored?.platforms ?? []) {
          const name = `${platform.os}_${platform.arch}`;
          expect(archives[name]?.hashes, `${address} ${version} ${name}`).toEqual([platform.h1, platform.zh]);
          expect(platform.h1).toMatch(/^h1:/);
          const answer = await download(h, address, version, name);
          expect(platform.zh).toBe(`zh:${answer.body?.shasum}`);
        }
      }
    }
  });

  it("GET /api/inventory/usage gives bytes per host and per provider and module", async () => {
    const response = await h.api("/api/inventory/usage");
    expect(response.status).toBe(200);
    const usage = diskUsageSchema.parse(await json(response));
    expect(usage.hosts.map((host) => host.host).sort()).toEqual([TOFU, TF].sort());
    const tf = usage.hosts.find((host) => host.host === TF);
    expect(tf?.providers.map((provider) => provider.address)).toEqual([ALPHA]);
    expect(tf?.modules.map((module) => module.address)).toEqual([`${TF}/fixture/flat/fixture`]);
    const zips = ALPHA_VERSIONS.flatMap((version) =>
      ALPHA_PLATFORMS.map(
        (platform) => h.fixture.packageOf("fixture", "alpha", version, platform).zip.length,
      ),
    ).reduce((a, b) => a + b, 0);
    expect(tf?.providers[0]?.bytes).toBeGreaterThan(zips);
    for (const host of usage.hosts) {
      const parts = [...host.providers, ...host.modules].reduce((total, entry) => total + entry.bytes, 0);
      expect(host.bytes, host.host).toBe(parts);
    }
    expect(usage.unreferencedBytes).toBe(0);
    expect(usage.onDiskBytes).toBe(usage.totalBytes);
  });

  it("answers bad input with 400 and the field, unknown targets with 404 and a message", async () => {
    expect(
      await badInput(
        await h.api(`/api/inventory/providers/${ALPHA}/1.1.0?platform=linux`, { method: "DELETE" }),
      ),
    ).toEqual(["query.platform"]);
    expect(
      await badInput(await h.api(`/api/inventory/providers/${ALPHA}/1.1.0?colour=red`, { method: "DELETE" })),
    ).toEqual(["query"]);
    expect(await badInput(await h.api("/api/gc", { method: "POST", json: { dryRun: "yes" } }))).toEqual([
      "dryRun",
    ]);
    expect(await badInput(await h.api("/api/gc", { method: "POST", json: { dry: true } }))).toEqual([""]);

    for (const path of [
      `/api/inventory/providers/${TF}/fixture/alpha/9.9.9`,
      `/api/inventory/providers/${TF}/fixture/gamma/1.1.0`,
      `/api/inventory/providers/${TF}/fixture/alpha/1.1.0?platform=windows_amd64`,
      `/api/inventory/modules/${TF}/fixture/flat/fixture/9.9.9`,
    ]) {
      const response = await h.api(path, { method: "DELETE" });
      expect(response.status, path).toBe(404);
      const body = apiErrorSchema.parse(await json(response));
      expect(body.errors.join(" "), path).toMatch(/\S/);
    }
    // Nothing was deleted by any of these.
    const inventory = await inventoryOf(h);
    expect(platformsIn(inventory, TF, "alpha", "1.1.0")).toEqual([...ALPHA_PLATFORMS].sort());
  });

  let freedBytes = 0;
  let dryReport: { blobs: number; bytes: number } | undefined;
  let deletedShas: string[] = [];

  it("DELETE one platform: its download is gone, the other platform is still served", async () => {
    const waiting = events.events.length;
    const response = await h.api(`/api/inventory/providers/${ALPHA}/1.1.0?platform=linux_amd64`, {
      method: "DELETE",
      headers: { "user-agent": "admin-inventory-test" },
    });
    expect(response.status).toBe(200);
    expect(deleteProviderResponseSchema.parse(await json(response))).toEqual({ packages: 1 });
    await events.waitFor((event) => event.event === "inventory" && events.events.indexOf(event) >= waiting);

    expect((await download(h, ALPHA, "1.1.0", "linux_amd64")).status).toBe(404);
    const darwin = await download(h, ALPHA, "1.1.0", "darwin_arm64");
    expect(darwin.status).toBe(200);
    const zip = await fetchBytes(new URL(darwin.body?.download_url ?? "", h.server.httpUrl));
    expect(zip.status).toBe(200);
    expect(sha256Hex(zip.body)).toBe(darwin.body?.shasum);

    const versions = versionsSchema.parse(
      (await fetchJson(`${h.server.httpUrl}/v1/providers/${ALPHA}/versions`)).body,
    );
    const listed = versions.versions.find((entry) => entry.version === "1.1.0");
    expect(listed?.platforms.map((p) => `${p.os}_${p.arch}`)).toEqual(["darwin_arm64"]);
    expect(platformsIn(await inventoryOf(h), TF, "alpha", "1.1.0")).toEqual(["darwin_arm64"]);
    const linux = h.fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64");
    freedBytes += linux.zip.length;
    deletedShas.push(linux.sha256);
  });

  it("DELETE a whole version: the versions list and the network mirror lack it", async () => {
    const response = await h.api(`/api/inventory/providers/${ALPHA}/2.0.0`, { method: "DELETE" });
    expect(response.status).toBe(200);
    expect(deleteProviderResponseSchema.parse(await json(response))).toEqual({
      packages: ALPHA_PLATFORMS.length,
    });
    const versions = versionsSchema.parse(
      (await fetchJson(`${h.server.httpUrl}/v1/providers/${ALPHA}/versions`)).body,
    );
    expect(versions.versions.map((entry) => entry.version)).toEqual(["1.1.0"]);
    expect((await fetchJson(`${h.server.httpUrl}/providers/${ALPHA}/2.0.0.json`)).status).toBe(404);
    for (const platform of ALPHA_PLATFORMS)
      expect((await download(h, ALPHA, "2.0.0", platform)).status).toBe(404);
    expect(platformsIn(await inventoryOf(h), TF, "alpha", "2.0.0")).toEqual([]);
    for (const platform of ALPHA_PLATFORMS) {
      const pkg = h.fixture.packageOf("fixture", "alpha", "2.0.0", platform);
      freedBytes += pkg.zip.length;
      deletedShas.push(pkg.sha256);
    }
  });

  it("DELETE a module version: not listed nor downloadable afterwards, the other version still is", async () => {
    const inventoryBefore = await inventoryOf(h);
    const module = inventoryBefore.hosts.find((host) => host.host === TF)?.modules[0];
    const gone = module?.versions.find((version) => version.version === "1.0.0");
    if (!gone) throw new Error("flat 1.0.0 not in the inventory");
    const response = await h.api(`/api/inventory/modules/${TF}/fixture/flat/fixture/1.0.0`, {
      method: "DELETE",
    });
    expect(response.status).toBe(200);
    expect(deleteModuleResponseSchema.parse(await json(response))).toEqual({ modules: 1 });
    const listed = await fetchJson(`${h.server.httpUrl}/v1/modules/${TF}/fixture/flat/fixture/versions`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('"1.0.0"');
    expect(JSON.stringify(listed.body)).toContain('"1.1.0"');
    const answer = await fetchBytes(
      `${h.server.httpUrl}/v1/modules/${TF}/fixture/flat/fixture/1.0.0/download`,
    );
    expect(answer.status).toBe(404);
    const after = (await inventoryOf(h)).hosts.find((host) => host.host === TF)?.modules[0];
    expect(after?.versions.map((version) => version.version)).toEqual(["1.1.0"]);
    freedBytes += gone.size;
    deletedShas.push(gone.sha256);
    // Deleting it again: nothing there.
    expect(
      (await h.api(`/api/inventory/modules/${TF}/fixture/flat/fixture/1.0.0`, { method: "DELETE" })).status,
    ).toBe(404);
  });

  it("POST /api/gc {dryRun:true} reports exactly the deleted packages' bytes and removes nothing", async () => {
    deletedShas = [...new Set(deletedShas)];
    await ageAllBlobs(h);
    const filesBefore = h.larder.store
      .listFilesSync()
      .map((file) => file.sha256)
      .sort();
    const usage = diskUsageSchema.parse(await json(await h.api("/api/inventory/usage")));
    const response = await h.api("/api/gc", { method: "POST", json: { dryRun: true } });
    expect(response.status).toBe(200);
    const dry = gcResponseSchema.parse(await json(response));
    // The 2.0.0 release's SHA256SUMS and signature go with its packages: count the zips at least.
    expect(dry.dryRun).toBe(true);
    expect(dry.bytes).toBeGreaterThanOrEqual(freedBytes);
    expect(dry.bytes).toBe(usage.unreferencedBytes);
    expect(dry.blobs).toBeGreaterThanOrEqual(deletedShas.length);
    expect(
      h.larder.store
        .listFilesSync()
        .map((file) => file.sha256)
        .sort(),
    ).toEqual(filesBefore);
    for (const sha of deletedShas) expect(await exists(h.larder.store.pathOf(sha)), sha).toBe(true);
    // The dry run is no state change: not audited.
    const audit = auditPageSchema.parse(await json(await h.api("/api/audit?action=gc")));
    expect(audit.entries).toEqual([]);
    dryReport = dry;
  });

  it("POST /api/gc {} removes exactly those; what is stored still verifies through /files", async () => {
    const before = h.larder.store.listFilesSync().length;
    const response = await h.api("/api/gc", { method: "POST", json: {} });
    expect(response.status).toBe(200);
    const done = gcResponseSchema.parse(await json(response));
    expect(done).toEqual({ dryRun: false, blobs: dryReport?.blobs, bytes: dryReport?.bytes });
    expect(h.larder.store.listFilesSync().length).toBe(before - done.blobs);
    for (const sha of deletedShas) expect(await exists(h.larder.store.pathOf(sha)), sha).toBe(false);
    // Every stored package is still served whole, with its SHA256SUMS.
    for (const [address, version, platform] of [
      [ALPHA, "1.1.0", "darwin_arm64"],
      ...BETA_PLATFORMS.map((platform) => [BETA, "0.4.0", platform] as const),
    ] as const) {
      const answer = await download(h, address, version, platform);
      expect(answer.status).toBe(200);
      const zip = await fetchBytes(new URL(answer.body?.download_url ?? "", h.server.httpUrl));
      expect(zip.status).toBe(200);
      expect(sha256Hex(zip.body)).toBe(answer.body?.shasum);
      const sums = await fetchBytes(new URL(answer.body?.shasums_url ?? "", h.server.httpUrl));
      expect(sums.status).toBe(200);
      expect(sums.body.toString("utf8")).toContain(`${answer.body?.shasum}  ${answer.body?.filename}`);
      const signature = await fetchBytes(new URL(answer.body?.shasums_signature_url ?? "", h.server.httpUrl));
      expect(signature.status).toBe(200);
    }
    const module = await fetchBytes(
      `${h.server.httpUrl}/v1/modules/${TF}/fixture/flat/fixture/1.1.0/download`,
    );
    expect(module.status).toBe(204);
    // Nothing left to collect.
    expect(
      gcResponseSchema.parse(await json(await h.api("/api/gc", { method: "POST", json: { dryRun: true } }))),
    ).toEqual({
      dryRun: true,
      blobs: 0,
      bytes: 0,
    });
  });

  it("records the deletes and the gc in the audit log as api", async () => {
    const deletes = auditPageSchema.parse(
      await json(await h.api("/api/audit?action=inventory.delete&actor=api")),
    );
    const targets = deletes.entries.filter((entry) => entry.outcome === "ok").map((entry) => entry.target);
    expect(targets).toEqual(
      expect.arrayContaining([
        `${TF}/fixture/alpha 1.1.0 linux_amd64`,
        `${TF}/fixture/alpha 2.0.0`,
        `${TF}/fixture/flat/fixture 1.0.0`,
      ]),
    );
    const platformDelete = deletes.entries.find((entry) => entry.target.endsWith("linux_amd64"));
    expect(platformDelete).toMatchObject({ actor: "api", userAgent: "admin-inventory-test", outcome: "ok" });
    // The refused ones are recorded as failed.
    expect(deletes.entries.some((entry) => entry.outcome === "failed")).toBe(true);
    const gc = auditPageSchema.parse(await json(await h.api("/api/audit?action=gc")));
    expect(gc.entries).toHaveLength(1);
    expect(gc.entries[0]).toMatchObject({ actor: "api", outcome: "ok", target: "unreferenced blobs" });
    expect(gc.entries[0]?.detail).toContain(`${dryReport?.blobs} blob(s)`);
  });
});

describe("POST /api/gc while another process ingests", { timeout: 120_000 }, () => {
  let h: AdminHarness;

  beforeAll(async () => {
    h = await startAdminHarness("admin-gc-ingest");
  });

  afterAll(async () => {
    await h.stop();
  });

  it("removes nothing the ingest staged or committed; afterwards its package verifies and is served", async () => {
    const pkg = h.fixture.packageOf("fixture", "alpha", "1.0.0", "linux_amd64");
    // A garbage blob from before, so the collection has something to remove and is seen to run.
    const deleted = await h.api(`/api/inventory/providers/${BETA}/0.4.0?platform=linux_arm64`, {
      method: "DELETE",
    });
    expect(deleted.status).toBe(200);
    const orphan = h.fixture.packageOf("fixture", "beta", "0.4.0", "linux_arm64");
    await ageAllBlobs(h);
    // The archive takes ~6 s: the release's SHA256SUMS and signature are committed well before the package row.
    h.fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / 6)));
    h.fixture.clearRequests();
    const child = spawn(
      process.execPath,
      [
        LARDER_BIN,
        "mirror",
        "provider",
        "fixture/alpha",
        "--version",
        "1.0.0",
        "--platform",
        "linux_amd64",
        "--data-dir",
        h.dataDir,
        "--upstream",
        `${TF}=${h.fixture.url}`,
      ],
      { env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    let committedDuring = { sha256: "", size: 0 };
    try {
      const deadline = Date.now() + 30_000;
      while (!h.fixture.requests.some((line) => line.includes(archivePath(pkg)))) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`the ingest never began: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // What the ingest may commit before its rows: a blob no row references yet, committed while it runs. Its
      // mtime is when the archive request was seen, after the ingest's session began.
      const seenAt = new Date();
      const staged = await h.larder.store.stageBytes(
        Buffer.from("committed during the other process's ingest"),
      );
      await h.larder.store.commit(staged);
      await utimes(h.larder.store.pathOf(staged.sha256), seenAt, seenAt);
      // Past the clock slack: without the session, what the ingest committed would already look like garbage.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(child.exitCode, output).toBeNull();
      const dry = gcResponseSchema.parse(
        await json(await h.api("/api/gc", { method: "POST", json: { dryRun: true } })),
      );
      const response = await h.api("/api/gc", { method: "POST", json: {} });
      expect(response.status).toBe(200);
      const done = gcResponseSchema.parse(await json(response));
      expect(done.bytes).toBe(dry.bytes);
      // The old garbage went; nothing of the running ingest did (checked below, once it has finished).
      expect(done.blobs).toBe(1);
      expect(done.bytes).toBe(orphan.zip.length);
      expect(await exists(h.larder.store.pathOf(orphan.sha256))).toBe(false);
      expect(child.exitCode, output).toBeNull();
      expect(await exists(h.larder.store.pathOf(staged.sha256))).toBe(true);
      committedDuring = staged;
    } finally {
      const [code] = (await exited) as [number | null];
      expect(code, output).toBe(0);
    }
    h.fixture.slowDown(archivePath(pkg), 0);

    // Served: the download answer, the zip and the release's SHA256SUMS and signature, each intact.
    const [os, arch] = ["linux", "amd64"];
    const answer = await fetchJson(`${h.server.httpUrl}/v1/providers/${ALPHA}/1.0.0/download/${os}/${arch}`);
    expect(answer.status).toBe(200);
    const body = downloadSchema.parse(answer.body);
    expect(body.shasum).toBe(pkg.sha256);
    const zip = await fetchBytes(new URL(body.download_url, h.server.httpUrl));
    expect(zip.status).toBe(200);
    expect(sha256Hex(zip.body)).toBe(pkg.sha256);
    const sums = await fetchBytes(new URL(body.shasums_url, h.server.httpUrl));
    expect(sums.status).toBe(200);
    expect(sums.body.toString("utf8")).toContain(`${pkg.sha256}  ${pkg.filename}`);
    expect((await fetchBytes(new URL(body.shasums_signature_url, h.server.httpUrl))).status).toBe(200);
    const inventory = await inventoryOf(h);
    expect(platformsIn(inventory, TF, "alpha", "1.0.0")).toEqual(["linux_amd64"]);
    // Every blob the rows reference is on disk.
    const referenced = inventory.hosts.flatMap((host) =>
      host.providers.flatMap((provider) =>
        provider.versions.flatMap((v) => v.platforms.map((p) => p.sha256)),
      ),
    );
    for (const sha of referenced) expect(await exists(h.larder.store.pathOf(sha)), sha).toBe(true);
    // Once the ingest has ended, its session protects nothing: the unreferenced blob from its time goes.
    const after = gcResponseSchema.parse(await json(await h.api("/api/gc", { method: "POST", json: {} })));
    expect(after).toEqual({ dryRun: false, blobs: 1, bytes: committedDuring.size });
    expect(await exists(h.larder.store.pathOf(committedDuring.sha256))).toBe(false);
  });
});
