import { readFile } from "node:fs/promises";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALPHA_PLATFORMS, archivesSchema, fetchBytes, startHarness, type ServerHarness } from "./harness.js";

let h: ServerHarness;
let httpsUrl: URL;
let caPem: string;

beforeAll(async () => {
  h = await startHarness("https", { https: true });
  if (h.server.httpsUrl === undefined || h.server.tls === undefined)
    throw new Error("HTTPS listener did not start");
  httpsUrl = new URL(h.server.httpsUrl);
  caPem = h.server.tls.caCertPem;
});

afterAll(async () => {
  await h.stop();
});

interface HttpsAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

/** GETs a path over HTTPS, trusting only `ca` (or the default roots when undefined). */
function httpsGet(path: string, options: { ca?: string; servername?: string } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: httpsUrl.hostname,
        port: httpsUrl.port,
        path,
        method: "GET",
        ca: options.ca,
        servername: options.servername,
        rejectUnauthorized: true,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"],
            body: Buffer.concat(chunks),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("HTTPS listener with the CA trusted", () => {
  const indexPath = "/providers/registry.terraform.io/fixture/alpha/index.json";
  const versionPath = "/providers/registry.terraform.io/fixture/alpha/1.1.0.json";

  it("serves the same network-mirror JSON as the HTTP listener", async () => {
    for (const path of [indexPath, versionPath]) {
      const secure = await httpsGet(path, { ca: caPem });
      expect(secure.status, path).toBe(200);
      expect(secure.contentType, path).toBe("application/json");
      const plain = await fetchBytes(`${h.server.httpUrl}${path}`);
      expect(JSON.parse(secure.body.toString("utf8")), path).toEqual(JSON.parse(plain.body.toString("utf8")));
    }
    expect(JSON.parse((await httpsGet(indexPath, { ca: caPem })).body.toString("utf8"))).toEqual({
      versions: { "1.1.0": {}, "2.0.0": {} },
    });
  });

  it("serves the archives that {version}.json points at", async () => {
    const { body } = await httpsGet(versionPath, { ca: caPem });
    const { archives } = archivesSchema.parse(JSON.parse(body.toString("utf8")));
    for (const platform of ALPHA_PLATFORMS) {
      const url = archives[platform]?.url;
      if (url === undefined) throw new Error(`no archive for ${platform}`);
      const target = new URL(url, new URL(versionPath, httpsUrl));
      expect(target.origin).toBe(httpsUrl.origin);
      const zip = await httpsGet(target.pathname, { ca: caPem });
      expect(zip.status, platform).toBe(200);
      const expected = h.fixture.packageOf("fixture", "alpha", "1.1.0", platform).zip;
      expect(Buffer.compare(zip.body, Buffer.from(expected)), platform).toBe(0);
    }
  });

  it("presents a certificate valid for the name localhost as well as 127.0.0.1", async () => {
    const { status } = await httpsGet(indexPath, { ca: caPem, servername: "localhost" });
    expect(status).toBe(200);
  });

  it("writes the CA users must trust to the data directory", async () => {
    const tls = h.server.tls;
    if (!tls) throw new Error("no TLS material");
    expect(tls.caCertPath.startsWith(h.dataDir)).toBe(true);
    expect(await readFile(tls.caCertPath, "utf8")).toBe(caPem);
  });
});

describe("HTTPS listener without the CA", () => {
  it("fails certificate verification for a client that only has the default roots", async () => {
    await expect(httpsGet("/healthz")).rejects.toMatchObject({
      code: expect.stringMatching(
        /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/,
      ) as unknown,
    });
  });

  it("fails for a client that trusts another CA", async () => {
    const other = await startHarness("https-other", { seed: false, https: true });
    try {
      const otherCa = other.server.tls?.caCertPem;
      expect(otherCa).toBeDefined();
      expect(otherCa).not.toBe(caPem);
      await expect(httpsGet("/healthz", { ca: otherCa })).rejects.toMatchObject({
        code: expect.any(String) as unknown,
      });
    } finally {
      await other.stop();
    }
  });

  it("fails for a host name the certificate does not cover", async () => {
    await expect(httpsGet("/healthz", { ca: caPem, servername: "mirror.example.com" })).rejects.toMatchObject(
      {
        code: "ERR_TLS_CERT_ALTNAME_INVALID",
      },
    );
  });
});
