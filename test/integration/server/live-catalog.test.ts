import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostilePlatform, hostileVersion } from "../../fixtures/upstream/index.js";
import {
  archivesSchema,
  fetchBytes,
  fetchJson,
  startHarness,
  versionsSchema,
  type ServerHarness,
} from "./harness.js";

let h: ServerHarness;

beforeAll(async () => {
  h = await startHarness("live-catalog");
});

afterAll(async () => {
  await h.stop();
});

function versionsUrl(address: string): string {
  return `${h.server.httpUrl}/v1/providers/${address}/versions`;
}

function platformsOf(body: unknown, version: string): string[] {
  const entry = versionsSchema.parse(body).versions.find((candidate) => candidate.version === version);
  return (entry?.platforms ?? []).map((p) => `${p.os}_${p.arch}`).sort();
}

describe("a mirror stored while the server runs", () => {
  it("makes a new version visible on every protocol without a restart", async () => {
    const base = h.server.httpUrl;
    expect(
      (await fetchJson(`${base}/v1/providers/registry.terraform.io/fixture/alpha/1.0.0/download/linux/amd64`))
        .status,
    ).toBe(404);
    expect((await fetchJson(`${base}/providers/registry.terraform.io/fixture/alpha/1.0.0.json`)).status).toBe(
      404,
    );

    await h.mirror({
      address: "registry.terraform.io/fixture/alpha",
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });

    const versions = await fetchJson(versionsUrl("registry.terraform.io/fixture/alpha"));
    expect(
      versionsSchema
        .parse(versions.body)
        .versions.map((entry) => entry.version)
        .sort(),
    ).toEqual(["1.0.0", "1.1.0", "2.0.0"]);
    expect(platformsOf(versions.body, "1.0.0")).toEqual(["linux_amd64"]);
    expect(
      (await fetchJson(`${base}/providers/registry.terraform.io/fixture/alpha/index.json`)).body,
    ).toEqual({
      versions: { "1.0.0": {}, "1.1.0": {}, "2.0.0": {} },
    });
    const documentUrl = `${base}/providers/registry.terraform.io/fixture/alpha/1.0.0.json`;
    const { archives } = archivesSchema.parse((await fetchJson(documentUrl)).body);
    expect(Object.keys(archives)).toEqual(["linux_amd64"]);
    const zip = await fetchBytes(new URL(archives.linux_amd64?.url ?? "", documentUrl));
    expect(zip.status).toBe(200);
    expect(
      Buffer.compare(
        zip.body,
        Buffer.from(h.fixture.packageOf("fixture", "alpha", "1.0.0", "linux_amd64").zip),
      ),
    ).toBe(0);
  });

  it("adds a platform to a version that was already served", async () => {
    const url = versionsUrl("registry.terraform.io/fixture/alpha");
    expect(platformsOf((await fetchJson(url)).body, "1.1.0")).toEqual(["darwin_arm64", "linux_amd64"]);
    await h.mirror({
      address: "registry.terraform.io/fixture/alpha",
      versions: ["1.1.0"],
      platforms: ["windows_amd64"],
    });
    expect(platformsOf((await fetchJson(url)).body, "1.1.0")).toEqual([
      "darwin_arm64",
      "linux_amd64",
      "windows_amd64",
    ]);
    const download = await fetchJson(
      `${h.server.httpUrl}/v1/providers/registry.terraform.io/fixture/alpha/1.1.0/download/windows/amd64`,
    );
    expect(download.status).toBe(200);
  });

  it("makes a provider that was unknown known", async () => {
    const url = versionsUrl("registry.opentofu.org/fixture/beta");
    expect(platformsOf((await fetchJson(url)).body, "0.3.0")).toEqual([]);
    await h.mirror({
      address: "registry.opentofu.org/fixture/beta",
      versions: ["0.3.0"],
      platforms: ["linux_arm64"],
    });
    expect(platformsOf((await fetchJson(url)).body, "0.3.0")).toEqual(["linux_arm64"]);
  });
});

describe("a package that failed verification", () => {
  const type = "tampered-archive";
  const address = `registry.terraform.io/hostile/${type}`;

  beforeAll(async () => {
    const report = await h.larder.mirrorProviders({
      address,
      versions: [hostileVersion],
      platforms: [hostilePlatform],
    });
    expect(report.stored).toEqual([]);
    expect(report.failed).toHaveLength(1);
  });

  it("is not listed by providers.v1 versions", async () => {
    const { status, body } = await fetchJson(versionsUrl(address));
    expect(status).toBe(404);
    expect(JSON.stringify(body)).not.toContain(hostileVersion);
  });

  it("has no providers.v1 download answer", async () => {
    const [os, arch] = hostilePlatform.split("_");
    const url = `${h.server.httpUrl}/v1/providers/${address}/${hostileVersion}/download/${os ?? ""}/${arch ?? ""}`;
    expect((await fetchJson(url)).status).toBe(404);
  });

  it("is not in the network mirror", async () => {
    const base = `${h.server.httpUrl}/providers/${address}`;
    expect((await fetchJson(`${base}/index.json`)).status).toBe(404);
    expect((await fetchJson(`${base}/${hostileVersion}.json`)).status).toBe(404);
  });

  it("serves none of its files", async () => {
    const pkg = h.fixture.packageOf("hostile", type, hostileVersion, hostilePlatform);
    const dir = `${h.server.httpUrl}/files/providers/${address}/${hostileVersion}`;
    for (const name of [
      pkg.filename,
      `terraform-provider-${type}_${hostileVersion}_SHA256SUMS`,
      `terraform-provider-${type}_${hostileVersion}_SHA256SUMS.sig`,
    ]) {
      expect((await fetchBytes(`${dir}/${name}`)).status, name).toBe(404);
    }
  });

  it("does not appear in the inventory", () => {
    expect(h.larder.providerInventory().some((entry) => entry.type === type)).toBe(false);
  });
});
