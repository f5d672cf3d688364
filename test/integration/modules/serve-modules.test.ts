import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Larder } from "../../../main/engine/larder.js";
import { startServer, type RunningServer } from "../../../main/server/start-server.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { errorsSchema, fetchBytes, rawRequest, sha256Hex } from "../server/harness.js";
import { expectedTree, openModuleLarder, storedRecord, unpackTarGz } from "./module-support.js";

const TF = "registry.terraform.io";
const FLAT = `/v1/modules/${TF}/fixture/flat/fixture`;
const GITHUB = `/v1/modules/${TF}/fixture/github/fixture`;

/** modules.v1 `versions` answer. */
const versionsSchema = z.object({
  modules: z.array(z.object({ versions: z.array(z.object({ version: z.string() })) })).length(1),
});

let fixture: FixtureUpstream;
let temp: TempDir;
let larder: Larder;
let server: RunningServer;

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  temp = await makeTempDir("modules-serve");
  // A dot folder on the path, like the Linux default data dir.
  larder = await openModuleLarder(fixture, join(temp.path, ".local", "larder"));
  for (const [name, versions] of [
    ["flat", ["1.0.0", "1.1.0"]],
    ["github", ["2.1.0"]],
  ] as const) {
    const report = await larder.mirrorModules({
      address: `fixture/${name}/fixture`,
      versions: [...versions],
      withDependencies: false,
      platforms: [],
    });
    if (report.failed.length > 0) throw new Error(`stocking failed: ${JSON.stringify(report.failed)}`);
  }
  server = await startServer(larder, {
    host: "127.0.0.1",
    httpPort: 0,
    httpsPort: undefined,
    log: () => undefined,
  });
});

afterAll(async () => {
  await server.close(0);
  larder.close();
  await fixture.stop();
  await temp.remove();
});

async function versionsOf(path: string): Promise<string[]> {
  const { status, body } = await fetchBytes(`${server.httpUrl}${path}`);
  expect(status).toBe(200);
  return (
    versionsSchema
      .parse(JSON.parse(body.toString("utf8")))
      .modules[0]?.versions.map((entry) => entry.version) ?? []
  );
}

/** The download answer: status, X-Terraform-Get and the body length. */
async function download(
  path: string,
  host?: string,
): Promise<{ status: number; location: string; body: number }> {
  const answer = await rawRequest(server.httpUrl, path, host === undefined ? {} : { headers: { host } });
  const location = answer.headers["x-terraform-get"];
  return {
    status: answer.status,
    location: typeof location === "string" ? location : "",
    body: answer.body.length,
  };
}

async function expectNotFound(path: string): Promise<void> {
  const { status, body } = await fetchBytes(`${server.httpUrl}${path}`);
  expect(status, path).toBe(404);
  expect(errorsSchema.safeParse(JSON.parse(body.toString("utf8"))).success, path).toBe(true);
}

function archiveUrl(name: string, version: string): string {
  return `/files/modules/${TF}/fixture/${name}/fixture/${version}.tar.gz`;
}

describe("modules.v1 served from the store", () => {
  it("lists the stored versions only, not everything upstream offers", async () => {
    expect(await versionsOf(`${FLAT}/versions`)).toEqual(["1.0.0", "1.1.0"]);
    expect(await versionsOf(`${GITHUB}/versions`)).toEqual(["2.1.0"]);
  });

  it("answers a download with 204 and a root-relative X-Terraform-Get to Larder's own archive", async () => {
    expect(await download(`${FLAT}/1.1.0/download`)).toEqual({
      status: 204,
      location: archiveUrl("flat", "1.1.0"),
      body: 0,
    });
  });

  it("appends the recorded subdirectory for the GitHub //modules/sub version", async () => {
    const answer = await download(`${GITHUB}/2.1.0/download`);
    expect(answer.status).toBe(204);
    expect(answer.location).toBe(`${archiveUrl("github", "2.1.0")}//modules/sub`);
  });

  it("gives the same root-relative location whatever Host or forwarded scheme the request came with", async () => {
    // Behind a TLS-terminating proxy the request arrives as plain http with the proxy's Host: an absolute URL
    // built from them would send the client to http://proxy-name/…, which is why the location is relative.
    const answer = await download(`${FLAT}/1.0.0/download`, "mirror.example.test:8443");
    expect(answer.location).toBe(`/files/modules/${TF}/fixture/flat/fixture/1.0.0.tar.gz`);
    const archive = await fetchBytes(new URL(answer.location, server.httpUrl).toString());
    expect(archive.status).toBe(200);
  });

  it("matches namespace and name without case and answers with the stored case", async () => {
    const upper = `/v1/modules/${TF}/FIXTURE/Flat/fixture`;
    expect(await versionsOf(`${upper}/versions`)).toEqual(["1.0.0", "1.1.0"]);
    const answer = await download(`${upper}/1.1.0/download`);
    expect(answer.status).toBe(204);
    expect(answer.location).toBe(archiveUrl("flat", "1.1.0"));
  });

  it("answers 404 for an unknown module, host or version, and for a version only upstream has", async () => {
    await expectNotFound(`/v1/modules/${TF}/fixture/nothing/fixture/versions`);
    await expectNotFound(`/v1/modules/registry.opentofu.org/fixture/flat/fixture/versions`);
    await expectNotFound(`${FLAT}/1.2.0/download`);
    await expectNotFound(`${FLAT}/9.9.9/download`);
    await expectNotFound(`/v1/modules/${TF}/fixture/nothing/fixture/1.0.0/download`);
  });
});

describe("module archives under /files/modules/", () => {
  it("serves the stored blob with exact Content-Length, a strong ETag and the gzip type", async () => {
    const record = storedRecord(larder, TF, "fixture", "flat", "1.1.0");
    const blob = await readFile(larder.store.pathOf(record.archiveBlob));
    const { status, headers, body } = await fetchBytes(`${server.httpUrl}${archiveUrl("flat", "1.1.0")}`);
    expect(status).toBe(200);
    expect(Buffer.compare(body, blob)).toBe(0);
    expect(headers.get("content-length")).toBe(String(blob.length));
    expect(headers.get("etag")).toBe(`"${sha256Hex(blob)}"`);
    expect(headers.get("content-type")).toBe("application/gzip");
    expect(headers.get("accept-ranges")).toBe("bytes");
  });

  it("answers a Range request with 206 and the exact slice", async () => {
    const record = storedRecord(larder, TF, "fixture", "github", "2.1.0");
    const blob = await readFile(larder.store.pathOf(record.archiveBlob));
    const answer = await rawRequest(server.httpUrl, archiveUrl("github", "2.1.0"), {
      headers: { range: "bytes=10-29" },
    });
    expect(answer.status).toBe(206);
    expect(answer.headers["content-range"]).toBe(`bytes 10-29/${String(blob.length)}`);
    expect(answer.headers["content-length"]).toBe("20");
    expect(Buffer.compare(answer.body, blob.subarray(10, 30))).toBe(0);
    const unchanged = await rawRequest(server.httpUrl, archiveUrl("github", "2.1.0"), {
      headers: { "if-none-match": `"${record.archiveBlob}"` },
    });
    expect(unchanged.status).toBe(304);
  });

  it("what the location points at unpacks to the module's files, with the subdirectory inside", async () => {
    const { location } = await download(`${GITHUB}/2.1.0/download`);
    const [, url = "", subdir = ""] = /^(.+\.tar\.gz)\/\/(.+)$/.exec(location) ?? [];
    expect(subdir).toBe("modules/sub");
    // Resolved against the download request's URL, as terraform and tofu resolve it.
    const { status, body } = await fetchBytes(new URL(url, `${server.httpUrl}${GITHUB}/2.1.0/download`).href);
    expect(status).toBe(200);
    const saved = join(temp.path, "downloaded.tar.gz");
    await writeFile(saved, body);
    const unpacked = await unpackTarGz(saved);
    expect(unpacked.tree).toEqual(expectedTree(fixture, "fixture", "github", "2.1.0"));
    expect(unpacked.directories).toContain(subdir);
  });

  it("is case-insensitive in namespace and name too, and 404s for anything not stored", async () => {
    const upper = await fetchBytes(`${server.httpUrl}/files/modules/${TF}/Fixture/FLAT/fixture/1.0.0.tar.gz`);
    expect(upper.status).toBe(200);
    await expectNotFound(`/files/modules/${TF}/fixture/flat/fixture/1.2.0.tar.gz`);
    await expectNotFound(`/files/modules/${TF}/fixture/nothing/fixture/1.0.0.tar.gz`);
    await expectNotFound(`/files/modules/${TF}/fixture/flat/fixture/1.1.0.zip`);
    await expectNotFound(`/files/modules/registry.opentofu.org/fixture/flat/fixture/1.1.0.tar.gz`);
  });
});
