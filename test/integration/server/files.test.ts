import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  downloadSchema,
  fetchBytes,
  fetchJson,
  rawRequest,
  sha256Hex,
  startHarness,
  type RawAnswer,
  type ServerHarness,
} from "./harness.js";

let h: ServerHarness;
let zipUrl: URL;
let sumsUrl: URL;
let sigUrl: URL;
let zip: Buffer;

beforeAll(async () => {
  h = await startHarness("files");
  const downloadUrl = `${h.server.httpUrl}/v1/providers/registry.terraform.io/fixture/alpha/1.1.0/download/linux/amd64`;
  const download = downloadSchema.parse((await fetchJson(downloadUrl)).body);
  zipUrl = new URL(download.download_url, downloadUrl);
  sumsUrl = new URL(download.shasums_url, downloadUrl);
  sigUrl = new URL(download.shasums_signature_url, downloadUrl);
  zip = Buffer.from(h.fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip);
});

afterAll(async () => {
  await h.stop();
});

function rawGet(path: string): Promise<RawAnswer> {
  return rawRequest(h.server.httpUrl, path);
}

describe("files: whole downloads", () => {
  it("serves the archive with exact Content-Length, a strong sha256 ETag and the zip type", async () => {
    const { status, headers, body } = await fetchBytes(zipUrl);
    expect(status).toBe(200);
    expect(Buffer.compare(body, zip)).toBe(0);
    expect(headers.get("content-length")).toBe(String(zip.length));
    expect(headers.get("etag")).toBe(`"${sha256Hex(zip)}"`);
    expect(headers.get("content-type")).toBe("application/zip");
    expect(headers.get("accept-ranges")).toBe("bytes");
  });

  it("serves SHA256SUMS and its signature byte for byte with their own ETags", async () => {
    const files = [
      [sumsUrl, h.fixture.shasumsOf("fixture", "alpha", "1.1.0")],
      [sigUrl, h.fixture.signatureOf("fixture", "alpha", "1.1.0")],
    ] as const;
    for (const [url, bytes] of files) {
      const { status, headers, body } = await fetchBytes(url);
      expect(status, url.pathname).toBe(200);
      expect(Buffer.compare(body, Buffer.from(bytes)), url.pathname).toBe(0);
      expect(headers.get("content-length"), url.pathname).toBe(String(bytes.length));
      expect(headers.get("etag"), url.pathname).toBe(`"${sha256Hex(bytes)}"`);
    }
  });

  it("answers HEAD with the headers of a GET and no body", async () => {
    const { status, headers, body } = await fetchBytes(zipUrl, { method: "HEAD" });
    expect(status).toBe(200);
    expect(headers.get("content-length")).toBe(String(zip.length));
    expect(headers.get("etag")).toBe(`"${sha256Hex(zip)}"`);
    expect(body.length).toBe(0);
  });
});

describe("files: conditional and partial requests", () => {
  it("answers If-None-Match with the current ETag by 304 and no body", async () => {
    const etag = `"${sha256Hex(zip)}"`;
    const { status, headers, body } = await rawRequest(h.server.httpUrl, zipUrl.pathname, {
      headers: { "If-None-Match": etag },
    });
    expect(status).toBe(304);
    expect(headers.etag).toBe(etag);
    expect(body.length).toBe(0);
  });

  it("answers If-None-Match with another ETag by the full file", async () => {
    const headers = { "If-None-Match": `"${"0".repeat(64)}"` };
    const { status, body } = await rawRequest(h.server.httpUrl, zipUrl.pathname, { headers });
    expect(status).toBe(200);
    expect(Buffer.compare(body, zip)).toBe(0);
  });

  it("answers Range: bytes=10-19 with 206, those ten bytes and a Content-Range", async () => {
    const { status, headers, body } = await fetchBytes(zipUrl, { headers: { Range: "bytes=10-19" } });
    expect(status).toBe(206);
    expect(Buffer.compare(body, zip.subarray(10, 20))).toBe(0);
    expect(headers.get("content-range")).toBe(`bytes 10-19/${zip.length}`);
    expect(headers.get("content-length")).toBe("10");
  });

  it("resumes an interrupted download from an offset to the end", async () => {
    const offset = zip.length - 7;
    const { status, body } = await fetchBytes(zipUrl, { headers: { Range: `bytes=${offset}-` } });
    expect(status).toBe(206);
    expect(Buffer.compare(Buffer.concat([zip.subarray(0, offset), body]), zip)).toBe(0);
  });

  it("honours If-Range with the right ETag (206) and ignores the range with a wrong one (full 200)", async () => {
    const right = await fetchBytes(zipUrl, {
      headers: { Range: "bytes=10-19", "If-Range": `"${sha256Hex(zip)}"` },
    });
    expect(right.status).toBe(206);
    expect(Buffer.compare(right.body, zip.subarray(10, 20))).toBe(0);
    const wrong = await fetchBytes(zipUrl, {
      headers: { Range: "bytes=10-19", "If-Range": `"${"f".repeat(64)}"` },
    });
    expect(wrong.status).toBe(200);
    expect(wrong.headers.get("content-length")).toBe(String(zip.length));
    expect(Buffer.compare(wrong.body, zip)).toBe(0);
  });

  it("answers an unsatisfiable range with 416 and the full length", async () => {
    const { status, headers } = await fetchBytes(zipUrl, {
      headers: { Range: `bytes=${zip.length + 100}-${zip.length + 200}` },
    });
    expect(status).toBe(416);
    expect(headers.get("content-range")).toBe(`bytes */${zip.length}`);
  });
});

describe("files: what is not served", () => {
  const alpha = "/files/providers/registry.terraform.io/fixture/alpha";

  it.each([
    ["an unknown file name", `${alpha}/1.1.0/terraform-provider-alpha_1.1.0_plan9_amd64.zip`],
    [
      "an archive of a platform that was not stored",
      `${alpha}/1.1.0/terraform-provider-alpha_1.1.0_windows_amd64.zip`,
    ],
    [
      "an archive of a version that was not stored",
      `${alpha}/1.0.0/terraform-provider-alpha_1.0.0_linux_amd64.zip`,
    ],
    [
      "another version's archive under this version",
      `${alpha}/1.1.0/terraform-provider-alpha_2.0.0_linux_amd64.zip`,
    ],
    [
      "SHA256SUMS of a version that was not stored",
      `${alpha}/1.0.0/terraform-provider-alpha_1.0.0_SHA256SUMS`,
    ],
    [
      "an unknown host",
      "/files/providers/registry.example.com/fixture/alpha/1.1.0/terraform-provider-alpha_1.1.0_linux_amd64.zip",
    ],
  ])("answers 404 for %s", async (_what, path) => {
    const { status, headers } = await fetchBytes(`${h.server.httpUrl}${path}`);
    expect(status).toBe(404);
    expect(headers.get("content-type")).toBe("application/json");
  });

  it.each([
    `${alpha}/1.1.0/..%2F..%2Flarder.db`,
    `${alpha}/1.1.0/..%2F..%2F..%2F..%2F..%2F..%2Flarder.db`,
    `${alpha}/1.1.0/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2flarder.db`,
    `${alpha}/..%2F..%2F..%2F..%2F..%2F..%2F/larder.db`,
    `${alpha}/1.1.0/..%5C..%5C..%5C..%5C..%5C..%5Clarder.db`,
    `${alpha}/1.1.0/../../../../../../larder.db`,
    "/files/providers/../../larder.db",
    "/files/../larder.db",
    "/larder.db",
    "/blobs/sha256/",
  ])("never serves the database for %s", async (path) => {
    const database = await readFile(join(h.dataDir, "larder.db"));
    expect(database.subarray(0, 15).toString("latin1")).toBe("SQLite format 3");
    const { status, body } = await rawGet(path);
    expect(status).toBe(404);
    expect(body.includes("SQLite format 3")).toBe(false);
  });

  it("never serves a blob by its content address", async () => {
    const sha = sha256Hex(zip);
    for (const path of [
      `/blobs/sha256/${sha.slice(0, 2)}/${sha}`,
      `/files/${sha}`,
      `/files/blobs/sha256/${sha.slice(0, 2)}/${sha}`,
    ]) {
      expect((await rawGet(path)).status, path).toBe(404);
    }
  });
});

describe("files: a damaged data dir", () => {
  it("answers a stored file whose blob was deleted by hand with a 500 that says so, not a 404", async () => {
    const signature = (await fetchBytes(sigUrl)).body;
    const sha = sha256Hex(signature);
    const blob = join(h.dataDir, "blobs", "sha256", sha.slice(0, 2), sha);
    await rename(blob, `${blob}.aside`);
    try {
      const { status, body } = await fetchJson(sigUrl.href);
      expect(status).toBe(500);
      expect(JSON.stringify(body)).toContain("is missing: the data dir was changed outside Larder");
    } finally {
      await rename(`${blob}.aside`, blob);
    }
    expect((await fetchBytes(sigUrl)).status).toBe(200);
  });
});
