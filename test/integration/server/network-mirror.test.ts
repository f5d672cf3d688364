import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FixtureFile } from "../../fixtures/upstream/index.js";
import {
  ALPHA_PLATFORMS,
  ALPHA_VERSIONS,
  archivesSchema,
  BETA_PLATFORMS,
  errorsSchema,
  fetchBytes,
  fetchJson,
  sha256Hex,
  startHarness,
  type ServerHarness,
} from "./harness.js";

let h: ServerHarness;
let base: string;

beforeAll(async () => {
  h = await startHarness("network-mirror");
  base = `${h.server.httpUrl}/providers`;
});

afterAll(async () => {
  await h.stop();
});

/**
 * terraform's `h1:` (Go dirhash Hash1, terraform-protocols.md §5.2), written here independently of the production
 * code: sha256 over the byte-wise sorted lines `<hex sha256(content)>  <name>\n`, base64 with padding.
 */
function expectedH1(files: readonly FixtureFile[]): string {
  const sorted = [...files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name, "utf8"), Buffer.from(b.name, "utf8")),
  );
  const summary = createHash("sha256");
  for (const file of sorted) {
    if (file.name.includes("\n")) throw new Error("newline in file name");
    summary.update(`${createHash("sha256").update(file.data).digest("hex")}  ${file.name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

describe("network mirror index.json", () => {
  it("lists exactly the stored versions with {} values as application/json", async () => {
    const { status, contentType, body } = await fetchJson(
      `${base}/registry.terraform.io/fixture/alpha/index.json`,
    );
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    expect(body).toEqual({ versions: Object.fromEntries(ALPHA_VERSIONS.map((version) => [version, {}])) });
  });

  it("keys the provider by its origin registry host", async () => {
    expect((await fetchJson(`${base}/registry.opentofu.org/fixture/beta/index.json`)).body).toEqual({
      versions: { "0.4.0": {} },
    });
    expect((await fetchJson(`${base}/registry.terraform.io/fixture/beta/index.json`)).status).toBe(404);
  });

  it("accepts any case in the path, as clients lower-case but users may not", async () => {
    const { status, body } = await fetchJson(`${base}/Registry.Terraform.IO/FIXTURE/Alpha/index.json`);
    expect(status).toBe(200);
    expect(body).toEqual({ versions: Object.fromEntries(ALPHA_VERSIONS.map((version) => [version, {}])) });
  });

  it.each([
    ["unknown provider", "registry.terraform.io/fixture/gamma"],
    ["unknown host", "mirror.example.com/fixture/alpha"],
    ["invalid namespace", "registry.terraform.io/fix_ture/alpha"],
  ])("answers 404 (so the client tries its next source) for an %s", async (_what, path) => {
    const { status, contentType, body } = await fetchJson(`${base}/${path}/index.json`);
    expect(status).toBe(404);
    expect(contentType).toBe("application/json");
    expect(errorsSchema.safeParse(body).success).toBe(true);
  });
});

describe("network mirror {version}.json", () => {
  const cases = ALPHA_VERSIONS.map((version) => [version] as const);

  it.each(cases)("lists every stored platform of %s with h1 and zh hashes", async (version) => {
    const { status, contentType, body } = await fetchJson(
      `${base}/registry.terraform.io/fixture/alpha/${version}.json`,
    );
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    const { archives } = archivesSchema.parse(body);
    expect(Object.keys(archives).sort()).toEqual([...ALPHA_PLATFORMS].sort());
    for (const platform of ALPHA_PLATFORMS) {
      const pkg = h.fixture.packageOf("fixture", "alpha", version, platform);
      expect(archives[platform]?.hashes, platform).toEqual([
        expectedH1(pkg.files),
        `zh:${sha256Hex(pkg.zip)}`,
      ]);
    }
  });

  it.each(cases)(
    "resolves each archive url of %s against the document URL to the upstream zip bytes",
    async (version) => {
      const documentUrl = `${base}/registry.terraform.io/fixture/alpha/${version}.json`;
      const { archives } = archivesSchema.parse((await fetchJson(documentUrl)).body);
      for (const platform of ALPHA_PLATFORMS) {
        const archive = archives[platform];
        if (!archive) throw new Error(`no archive for ${platform}`);
        const zip = await fetchBytes(new URL(archive.url, documentUrl), { redirect: "manual" });
        expect(zip.status, platform).toBe(200);
        expect(zip.headers.get("content-length"), platform).toBe(String(zip.body.length));
        const expected = h.fixture.packageOf("fixture", "alpha", version, platform).zip;
        expect(Buffer.compare(zip.body, Buffer.from(expected)), platform).toBe(0);
      }
    },
  );

  it("serves a version from another host with its own platforms", async () => {
    const { status, body } = await fetchJson(`${base}/registry.opentofu.org/fixture/beta/0.4.0.json`);
    expect(status).toBe(200);
    const { archives } = archivesSchema.parse(body);
    expect(Object.keys(archives).sort()).toEqual([...BETA_PLATFORMS].sort());
    const pkg = h.fixture.packageOf("fixture", "beta", "0.4.0", "linux_arm64");
    expect(archives.linux_arm64?.hashes).toEqual([expectedH1(pkg.files), `zh:${pkg.sha256}`]);
  });

  it("never lists a platform that was not stored", async () => {
    const { body } = await fetchJson(`${base}/registry.terraform.io/fixture/alpha/1.1.0.json`);
    expect(JSON.stringify(body)).not.toContain("windows");
  });

  it.each([
    ["a version upstream has but was not stored", "registry.terraform.io/fixture/alpha/1.0.0.json"],
    ["a version that exists nowhere", "registry.terraform.io/fixture/alpha/9.9.9.json"],
    ["an unknown provider", "registry.terraform.io/fixture/gamma/1.1.0.json"],
    ["a document that is not JSON", "registry.terraform.io/fixture/alpha/1.1.0.txt"],
  ])("answers 404 for %s", async (_what, path) => {
    const { status, body } = await fetchJson(`${base}/${path}`);
    expect(status).toBe(404);
    expect(errorsSchema.safeParse(body).success).toBe(true);
  });
});
