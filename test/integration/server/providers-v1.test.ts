import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALPHA_PLATFORMS,
  ALPHA_VERSIONS,
  downloadSchema,
  errorsSchema,
  fetchBytes,
  fetchJson,
  osArch,
  startHarness,
  versionsSchema,
  type ServerHarness,
} from "./harness.js";

let h: ServerHarness;
let base: string;

beforeAll(async () => {
  h = await startHarness("providers-v1");
  base = `${h.server.httpUrl}/v1/providers`;
});

afterAll(async () => {
  await h.stop();
});

/** The versions answer sorted for comparison (the client sorts; order is not part of the protocol). */
function sortedVersions(body: unknown): { version: string; protocols: string[]; platforms: string[] }[] {
  return versionsSchema
    .parse(body)
    .versions.map((entry) => ({
      version: entry.version,
      protocols: entry.protocols,
      platforms: entry.platforms.map((p) => `${p.os}_${p.arch}`).sort(),
    }))
    .sort((a, b) => a.version.localeCompare(b.version));
}

describe("providers.v1 versions", () => {
  it("lists exactly the stored versions with only the stored platforms", async () => {
    const { status, contentType, body } = await fetchJson(
      `${base}/registry.terraform.io/fixture/alpha/versions`,
    );
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    expect(sortedVersions(body)).toEqual(
      ALPHA_VERSIONS.map((version) => ({
        version,
        protocols: ["5.0"],
        platforms: [...ALPHA_PLATFORMS].sort(),
      })),
    );
    const text = JSON.stringify(body);
    expect(text).not.toContain("1.0.0");
    expect(text).not.toContain("2.1.0-beta1");
    expect(text).not.toContain("windows");
  });

  it("passes the upstream protocols through per host (beta speaks 6.0 on registry.opentofu.org)", async () => {
    const { status, body } = await fetchJson(`${base}/registry.opentofu.org/fixture/beta/versions`);
    expect(status).toBe(200);
    expect(sortedVersions(body)).toEqual([
      { version: "0.4.0", protocols: ["6.0"], platforms: ["linux_amd64", "linux_arm64"] },
    ]);
  });

  it("keeps upstream hosts apart: alpha was not mirrored from registry.opentofu.org", async () => {
    const { status, body } = await fetchJson(`${base}/registry.opentofu.org/fixture/alpha/versions`);
    expect(status).toBe(404);
    expect(errorsSchema.safeParse(body).success).toBe(true);
  });

  it("treats namespace, type and host case-insensitively", async () => {
    const canonical = await fetchJson(`${base}/registry.terraform.io/fixture/alpha/versions`);
    for (const path of ["registry.terraform.io/Fixture/ALPHA", "REGISTRY.Terraform.IO/fixture/Alpha"]) {
      const { status, body } = await fetchJson(`${base}/${path}/versions`);
      expect(status, path).toBe(200);
      expect(body, path).toEqual(canonical.body);
    }
  });

  it.each([
    ["unknown provider", "registry.terraform.io/fixture/gamma"],
    ["unknown namespace", "registry.terraform.io/nobody/alpha"],
    ["unknown host", "registry.example.com/fixture/alpha"],
    ["invalid host", "bad_host!/fixture/alpha"],
    ["invalid namespace", "registry.terraform.io/-fixture-/alpha"],
    ["invalid type", "registry.terraform.io/fixture/al--pha"],
  ])("answers 404 with {errors:[...]} for an %s", async (_what, path) => {
    const { status, contentType, body } = await fetchJson(`${base}/${path}/versions`);
    expect(status).toBe(404);
    expect(contentType).toBe("application/json");
    expect(errorsSchema.parse(body).errors.length).toBeGreaterThan(0);
  });
});

describe("providers.v1 download", () => {
  const cases = ALPHA_VERSIONS.flatMap((version) =>
    ALPHA_PLATFORMS.map((platform) => [version, platform] as const),
  );

  it.each(cases)("passes upstream metadata through for %s %s", async (version, platform) => {
    const { os, arch } = osArch(platform);
    const expected = h.fixture.packageOf("fixture", "alpha", version, platform);
    const url = `${base}/registry.terraform.io/fixture/alpha/${version}/download/${os}/${arch}`;
    const { status, contentType, body } = await fetchJson(url);
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    const download = downloadSchema.parse(body);
    expect(download).toMatchObject({
      protocols: ["5.0"],
      os,
      arch,
      filename: expected.filename,
      shasum: expected.sha256,
    });
    expect(download.shasum).toMatch(/^[0-9a-f]{64}$/);
    expect(download.signing_keys.gpg_public_keys).toEqual([
      {
        key_id: h.fixture.keyId,
        ascii_armor: h.fixture.publicKeyArmored,
        trust_signature: "",
        source: "Fixture Corp",
        source_url: "https://fixture.example/security",
      },
    ]);
  });

  it.each(cases)("serves the upstream bytes at the three URLs for %s %s", async (version, platform) => {
    const { os, arch } = osArch(platform);
    const url = `${base}/registry.terraform.io/fixture/alpha/${version}/download/${os}/${arch}`;
    const download = downloadSchema.parse((await fetchJson(url)).body);
    const expected = {
      download_url: h.fixture.packageOf("fixture", "alpha", version, platform).zip,
      shasums_url: h.fixture.shasumsOf("fixture", "alpha", version),
      shasums_signature_url: h.fixture.signatureOf("fixture", "alpha", version),
    };
    for (const [field, bytes] of Object.entries(expected)) {
      const target = new URL(download[field as keyof typeof expected], url);
      // Larder's own server, never a redirect back to the upstream.
      expect(target.origin, field).toBe(h.server.httpUrl);
      const answer = await fetchBytes(target, { redirect: "manual" });
      expect(answer.status, field).toBe(200);
      expect(Buffer.compare(answer.body, Buffer.from(bytes)), field).toBe(0);
    }
  });

  it("serves a SHA256SUMS that lists the filename with the advertised shasum", async () => {
    const url = `${base}/registry.terraform.io/fixture/alpha/2.0.0/download/darwin/arm64`;
    const download = downloadSchema.parse((await fetchJson(url)).body);
    const sums = (await fetchBytes(new URL(download.shasums_url, url))).body.toString("utf8");
    expect(sums.split("\n")).toContain(`${download.shasum}  ${download.filename}`);
  });

  it("works for the registry.opentofu.org host with its own protocols", async () => {
    const url = `${base}/registry.opentofu.org/fixture/beta/0.4.0/download/linux/arm64`;
    const { status, body } = await fetchJson(url);
    expect(status).toBe(200);
    const download = downloadSchema.parse(body);
    expect(download.protocols).toEqual(["6.0"]);
    const zip = await fetchBytes(new URL(download.download_url, url));
    expect(
      Buffer.compare(
        zip.body,
        Buffer.from(h.fixture.packageOf("fixture", "beta", "0.4.0", "linux_arm64").zip),
      ),
    ).toBe(0);
  });

  it.each([
    ["a platform upstream has but was not stored", "1.1.0/download/windows/amd64"],
    ["a version upstream has but was not stored", "1.0.0/download/linux/amd64"],
    ["a pre-release that was not stored", "2.1.0-beta1/download/linux/amd64"],
    ["a version that exists nowhere", "9.9.9/download/linux/amd64"],
  ])("answers 404 for %s", async (_what, path) => {
    const { status, body } = await fetchJson(`${base}/registry.terraform.io/fixture/alpha/${path}`);
    expect(status).toBe(404);
    expect(errorsSchema.safeParse(body).success).toBe(true);
  });
});
