import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf } from "../../helpers/expect-larder-error.js";
import { expectedH1 } from "../downloads/download-support.js";
import {
  archivesSchema,
  fetchBytes,
  fetchJson,
  startHarness,
  versionsSchema,
  type ServerHarness,
} from "../server/harness.js";

// Larder.inventory / deleteProvider / deleteModule against a real server: once deleted, nothing of it is served.

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";
const ALPHA = { host: TF, namespace: "fixture", type: "alpha" } as const;
const FLAT = { host: TF, namespace: "fixture", name: "flat", system: "fixture" } as const;

let h: ServerHarness;
let base: string;

beforeAll(async () => {
  h = await startHarness("storage-delete");
  base = h.server.httpUrl;
  const report = await h.larder.mirrorModules({
    address: "fixture/flat/fixture",
    versions: ["1.0.0", "1.1.0"],
    withDependencies: false,
    platforms: [],
  });
  if (report.failed.length > 0) throw new Error(`stocking failed: ${JSON.stringify(report.failed)}`);
});

afterAll(async () => {
  await h.stop();
});

async function alphaVersions(): Promise<{ version: string; platforms: string[] }[]> {
  const { status, body } = await fetchJson(`${base}/v1/providers/${TF}/fixture/alpha/versions`);
  expect(status).toBe(200);
  return versionsSchema
    .parse(body)
    .versions.map((entry) => ({
      version: entry.version,
      platforms: entry.platforms.map((p) => `${p.os}_${p.arch}`).sort(),
    }))
    .sort((a, b) => a.version.localeCompare(b.version));
}

describe("Larder.inventory", () => {
  it("lists hosts, providers, versions newest first and platforms with the hashes the network mirror reports", async () => {
    const inventory = h.larder.inventory();
    expect(inventory.hosts.map((host) => [host.host, host.clients])).toEqual([
      [TOFU, []],
      [TF, ["terraform"]],
    ]);
    const tf = inventory.hosts[1];
    const alpha = tf?.providers.find((provider) => provider.type === "alpha");
    expect(alpha?.versions.map((version) => version.version)).toEqual(["2.0.0", "1.1.0"]);
    for (const version of alpha?.versions ?? []) {
      expect(version.signed).toBe(true);
      expect(version.keyId).toMatch(/^[0-9A-F]{16}$/);
      expect(version.platforms.map((p) => `${p.os}_${p.arch}`)).toEqual(["darwin_arm64", "linux_amd64"]);
      const { body } = await fetchJson(`${base}/providers/${TF}/fixture/alpha/${version.version}.json`);
      const archives = archivesSchema.parse(body).archives;
      for (const platform of version.platforms) {
        const pkg = h.fixture.packageOf(
          "fixture",
          "alpha",
          version.version,
          `${platform.os}_${platform.arch}`,
        );
        expect(platform).toEqual({
          os: platform.os,
          arch: platform.arch,
          filename: pkg.filename,
          size: pkg.zip.length,
          sha256: pkg.sha256,
          h1: expectedH1(pkg.files),
          zh: `zh:${pkg.sha256}`,
        });
        expect(archives[`${platform.os}_${platform.arch}`]?.hashes).toEqual([platform.h1, platform.zh]);
      }
      expect(version.bytes).toBe(version.platforms.reduce((sum, p) => sum + p.size, 0));
    }
    const flat = tf?.modules.find((module) => module.name === "flat");
    expect(flat?.versions.map((version) => version.version)).toEqual(["1.1.0", "1.0.0"]);
    expect(flat?.versions[0]?.sourceKind).toBe("archive");
    expect(flat?.versions[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(tf?.bytes).toBe((tf?.providers ?? []).reduce((sum, p) => sum + p.bytes, 0) + (flat?.bytes ?? 0));
    // Plain JSON: a round trip changes nothing.
    expect(JSON.parse(JSON.stringify(inventory))).toEqual(inventory);
  });
});

describe("Larder.deleteProvider / deleteModule", () => {
  it("deletes one platform; the release stays for the others and the platform is no longer served", async () => {
    expect(
      h.larder.deleteProvider({ ...ALPHA, version: "2.0.0", platform: { os: "linux", arch: "amd64" } }),
    ).toEqual({
      packages: 1,
    });
    expect(await alphaVersions()).toEqual([
      { version: "1.1.0", platforms: ["darwin_arm64", "linux_amd64"] },
      { version: "2.0.0", platforms: ["darwin_arm64"] },
    ]);
    const download = await fetchBytes(`${base}/v1/providers/${TF}/fixture/alpha/2.0.0/download/linux/amd64`);
    expect(download.status).toBe(404);
    const { body } = await fetchJson(`${base}/providers/${TF}/fixture/alpha/2.0.0.json`);
    expect(Object.keys(archivesSchema.parse(body).archives)).toEqual(["darwin_arm64"]);
  });

  it("deleting the last platform removes the release: the version is no longer listed anywhere", async () => {
    expect(
      h.larder.deleteProvider({ ...ALPHA, version: "2.0.0", platform: { os: "darwin", arch: "arm64" } }),
    ).toEqual({
      packages: 1,
    });
    expect((await alphaVersions()).map((entry) => entry.version)).toEqual(["1.1.0"]);
    const index = await fetchJson(`${base}/providers/${TF}/fixture/alpha/index.json`);
    expect(index.body).toEqual({ versions: { "1.1.0": {} } });
    expect((await fetchBytes(`${base}/providers/${TF}/fixture/alpha/2.0.0.json`)).status).toBe(404);
    expect(
      h.larder.providerInventory().some((entry) => entry.type === "alpha" && entry.version === "2.0.0"),
    ).toBe(false);
  });

  it("deletes a whole version with every platform", async () => {
    expect(
      h.larder.deleteProvider({ host: TOFU, namespace: "fixture", type: "beta", version: "0.4.0" }),
    ).toEqual({
      packages: 2,
    });
    expect((await fetchBytes(`${base}/providers/${TOFU}/fixture/beta/index.json`)).status).toBe(404);
    const download = await fetchBytes(`${base}/v1/providers/${TOFU}/fixture/beta/0.4.0/download/linux/amd64`);
    expect(download.status).toBe(404);
  });

  it("deletes a module version; the other stays served", async () => {
    expect(h.larder.deleteModule({ ...FLAT, version: "1.0.0" })).toEqual({ modules: 1 });
    const { status, body } = await fetchJson(`${base}/v1/modules/${TF}/fixture/flat/fixture/versions`);
    expect(status).toBe(200);
    expect(JSON.stringify(body)).toContain('"1.1.0"');
    expect(JSON.stringify(body)).not.toContain('"1.0.0"');
    expect((await fetchBytes(`${base}/v1/modules/${TF}/fixture/flat/fixture/1.0.0/download`)).status).toBe(
      404,
    );
    expect((await fetchBytes(`${base}/v1/modules/${TF}/fixture/flat/fixture/1.1.0/download`)).status).toBe(
      204,
    );
  });

  it("an unknown target is not_found, names what is stored and how to list, and changes nothing", () => {
    const before = h.larder.inventory();
    const version = errorOf(() => h.larder.deleteProvider({ ...ALPHA, version: "9.9.9" }));
    expect(version.code).toBe("not_found");
    expect(version.message).toMatch(
      /registry\.terraform\.io\/fixture\/alpha 9\.9\.9 is not stored; stored versions: 1\.1\.0.*larder list/,
    );
    const platform = errorOf(() =>
      h.larder.deleteProvider({ ...ALPHA, version: "1.1.0", platform: { os: "windows", arch: "amd64" } }),
    );
    expect(platform.code).toBe("not_found");
    expect(platform.message).toMatch(/no windows_amd64 package; stored platforms: darwin_arm64, linux_amd64/);
    const provider = errorOf(() => h.larder.deleteProvider({ ...ALPHA, type: "nope", version: "1.0.0" }));
    expect(provider.message).toMatch(/fixture\/nope is not stored\. Run larder list/);
    const module = errorOf(() => h.larder.deleteModule({ ...FLAT, version: "3.0.0" }));
    expect(module.code).toBe("not_found");
    expect(module.message).toMatch(/fixture\/flat\/fixture 3\.0\.0 is not stored; stored versions: 1\.1\.0/);
    expect(h.larder.inventory()).toEqual(before);
  });
});
