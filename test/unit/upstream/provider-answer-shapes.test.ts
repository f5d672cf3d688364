import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderAddress } from "../../../main/core/provider-address.js";
import { startRegistryStub, type RegistryStub } from "./registry-stub.js";

// Answer shapes recorded from registry.terraform.io and registry.opentofu.org, trimmed to what matters.
const armor =
  "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF5vdGkBEADK\n-----END PGP PUBLIC KEY BLOCK-----\n";
const shasum = "a".repeat(64);
const versionsPath = "/v1/providers/hashicorp/null/versions";
const downloadPath = "/v1/providers/hashicorp/null/3.2.2/download/linux/amd64";
const linux = { os: "linux", arch: "amd64" };

function download(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    protocols: ["5.0"],
    os: "linux",
    arch: "amd64",
    filename: "terraform-provider-null_3.2.2_linux_amd64.zip",
    download_url: "https://releases.example/null/3.2.2/terraform-provider-null_3.2.2_linux_amd64.zip",
    shasums_url: "https://releases.example/null/3.2.2/SHA256SUMS",
    shasums_signature_url: "https://releases.example/null/3.2.2/SHA256SUMS.sig",
    shasum,
    ...overrides,
  };
}

describe("provider registry answers are decoded as leniently as terraform does", () => {
  let stub: RegistryStub;
  let address: ProviderAddress;

  beforeAll(async () => {
    stub = await startRegistryStub();
    address = { host: stub.host, namespace: "hashicorp", type: "null" };
  });
  afterAll(() => stub.close());

  it("reads a registry.terraform.io versions answer with warnings: null, extra members and protocols: null", async () => {
    stub.serve({
      [versionsPath]: {
        json: {
          id: "hashicorp/null",
          versions: [
            { version: "3.2.2", protocols: ["5.0"], platforms: [linux, { os: "darwin", arch: "arm64" }] },
            { version: "3.2.1", protocols: null, platforms: null, published_at: "2022-01-01" },
          ],
          warnings: null,
        },
      },
    });
    await expect(stub.providers().listVersions(address)).resolves.toEqual([
      { version: "3.2.2", protocols: ["5.0"], platforms: [linux, { os: "darwin", arch: "arm64" }] },
      { version: "3.2.1", protocols: [], platforms: [] },
    ]);
    expect(stub.warnings).toEqual([]);
  });

  it("passes upstream warnings strings to the warning sink", async () => {
    stub.serve({
      [versionsPath]: {
        json: { versions: [{ version: "1.0.0" }], warnings: ["This provider is deprecated."] },
      },
    });
    await expect(stub.providers().listVersions(address)).resolves.toHaveLength(1);
    expect(stub.warnings).toEqual([
      "Registry registry.example: warning for registry.example/hashicorp/null: This provider is deprecated.",
    ]);
  });

  it("skips each unreadable version entry with a warning and keeps the rest", async () => {
    stub.serve({
      [versionsPath]: {
        json: {
          versions: [
            { version: "1.0.0", platforms: [linux] },
            42,
            { version: "not-a-version" },
            { version: 3 },
            { version: "1.1.0", platforms: "linux_amd64" },
            null,
            {
              version: "2.0.0",
              platforms: [linux, { os: "Linux OS", arch: "amd64" }, { os: "linux" }, null],
            },
          ],
        },
      },
    });
    const versions = await stub.providers().listVersions(address);
    expect(versions).toEqual([
      { version: "1.0.0", protocols: [], platforms: [linux] },
      { version: "2.0.0", protocols: [], platforms: [linux] },
    ]);
    const skipped =
      "Registry registry.example: skipped an unreadable entry in the versions of registry.example/hashicorp/null";
    expect(stub.warnings.filter((w) => w.startsWith(skipped))).toHaveLength(5);
    expect(stub.warnings).toContain(`${skipped} (versions.2.version: not a valid semantic version)`);
    expect(stub.warnings.some((w) => w.startsWith(`${skipped} (versions.1:`))).toBe(true);
    expect(stub.warnings.some((w) => w.startsWith(`${skipped} (versions.4.platforms:`))).toBe(true);
    expect(stub.warnings.filter((w) => w.includes("skipped an unreadable platform of"))).toHaveLength(3);
  });

  it("treats versions: null as an empty list, but a non-object answer as malformed", async () => {
    stub.serve({ [versionsPath]: { json: { versions: null, warnings: null } } });
    await expect(stub.providers().listVersions(address)).resolves.toEqual([]);
    stub.serve({ [versionsPath]: { json: [{ version: "1.0.0" }] } });
    await expect(stub.providers().listVersions(address)).rejects.toThrow(/malformed answer.*\(\(root\):/);
  });

  it("reads a registry.terraform.io download answer whose key has source_url: null", async () => {
    const key = {
      key_id: "34365D9472D7468F",
      ascii_armor: armor,
      trust_signature: "",
      source: "",
      source_url: null,
    };
    stub.serve({ [downloadPath]: { json: download({ signing_keys: { gpg_public_keys: [key] } }) } });
    const answer = await stub.providers().getDownload(address, "3.2.2", linux);
    expect(answer).toMatchObject({
      protocols: ["5.0"],
      filename: "terraform-provider-null_3.2.2_linux_amd64.zip",
      shasum,
      downloadUrl: "https://releases.example/null/3.2.2/terraform-provider-null_3.2.2_linux_amd64.zip",
    });
    // Keys are served back verbatim later, so compare what JSON.stringify makes of them.
    expect(JSON.parse(JSON.stringify(answer.signingKeys))).toEqual([
      { key_id: "34365D9472D7468F", ascii_armor: armor, trust_signature: "", source: "" },
    ]);
  });

  it("reads a registry.opentofu.org download answer: bare keys, protocols: null, relative URLs", async () => {
    stub.serve({
      [downloadPath]: {
        json: download({
          protocols: null,
          download_url: "/files/null_linux_amd64.zip",
          shasums_url: "./SHA256SUMS",
          shasums_signature_url: "../SHA256SUMS.sig",
          signing_keys: { gpg_public_keys: [{ ascii_armor: armor, key_id: "0C0AF313E5FD9F80" }] },
          extra: { nested: null },
        }),
      },
    });
    const answer = await stub.providers().getDownload(address, "3.2.2", linux);
    expect(answer.protocols).toEqual([]);
    expect(answer.downloadUrl).toBe(`${stub.url}/files/null_linux_amd64.zip`);
    expect(answer.shasumsUrl).toBe(`${stub.url}/v1/providers/hashicorp/null/3.2.2/download/linux/SHA256SUMS`);
    expect(answer.shasumsSignatureUrl).toBe(
      `${stub.url}/v1/providers/hashicorp/null/3.2.2/download/SHA256SUMS.sig`,
    );
    expect(JSON.parse(JSON.stringify(answer.signingKeys))).toEqual([
      { ascii_armor: armor, key_id: "0C0AF313E5FD9F80" },
    ]);
  });

  it.each([
    ["absent", {}],
    ["{}", { signing_keys: {} }],
    ["gpg_public_keys: null", { signing_keys: { gpg_public_keys: null } }],
    ["gpg_public_keys: []", { signing_keys: { gpg_public_keys: [] } }],
    ["an empty array", { signing_keys: [] }],
    ["null", { signing_keys: null }],
  ])("reads signing_keys %s as no keys", async (_label, overrides) => {
    stub.serve({ [downloadPath]: { json: download(overrides) } });
    const answer = await stub.providers().getDownload(address, "3.2.2", linux);
    expect(answer.signingKeys).toEqual([]);
    expect(answer.filename).toBe("terraform-provider-null_3.2.2_linux_amd64.zip");
  });

  it.each([
    ["a numeric size", { size: 1234 }, 1234],
    ["a numeric string size", { size: "1234" }, 1234],
    ["a content_length", { content_length: 99 }, 99],
    ["size: null", { size: null }, undefined],
    ["a negative size", { size: -1 }, undefined],
    ["a non-numeric size", { size: "big" }, undefined],
    ["no size", {}, undefined],
  ])("reads a package size extension leniently: %s", async (_label, overrides, size) => {
    stub.serve({ [downloadPath]: { json: download(overrides) } });
    const answer = await stub.providers().getDownload(address, "3.2.2", linux);
    expect(answer.size).toBe(size);
    expect(answer.filename).toBe("terraform-provider-null_3.2.2_linux_amd64.zip");
  });

  it.each([
    ["a missing filename", { filename: undefined }, /\(filename: /],
    ["a null download_url", { download_url: null }, /\(download_url: /],
    [
      "a key without ascii_armor",
      { signing_keys: { gpg_public_keys: [{ key_id: "ABCD" }] } },
      /\(signing_keys\.gpg_public_keys\.0\.ascii_armor: /,
    ],
    [
      "a key whose ascii_armor is null",
      { signing_keys: { gpg_public_keys: [{ ascii_armor: armor }, { ascii_armor: null }] } },
      /\(signing_keys\.gpg_public_keys\.1\.ascii_armor: /,
    ],
  ])("rejects a download answer with %s, naming the field", async (_label, overrides, message) => {
    stub.serve({ [downloadPath]: { json: download(overrides) } });
    const failure = stub.providers().getDownload(address, "3.2.2", linux);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toThrow(
      /malformed answer for the download information of registry\.example/,
    );
  });
});
