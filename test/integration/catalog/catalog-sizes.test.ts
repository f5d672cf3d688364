import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../../main/db/connection.js";
import { PackageSizeRepository } from "../../../main/db/package-size-repository.js";
import type { Larder } from "../../../main/engine/larder.js";
import {
  defaultFixtureProviders,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TF = "registry.terraform.io";
/** Points at a closed port: every request to it is refused. */
const DEAD = "dead.example.com";

/** A loopback port nothing listens on (bound, then closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}
const GAMMA_VERSIONS = ["1.0.0", "1.1.0"];

describe("catalog size estimates", () => {
  let dir: TempDir;
  let fixture: FixtureUpstream;
  let larder: Larder;
  let db: Db;

  const zipSize = (type: string, version: string, platform: string): number =>
    fixture.packageOf("fixture", type, version, platform).zip.length;
  const requestsMatching = (pattern: RegExp): string[] =>
    fixture.requests.filter((request) => pattern.test(request));

  beforeAll(async () => {
    dir = await makeTempDir("catalog-sizes");
    // gamma: sized by HEAD, untouched by the other tests, for the failure cases.
    fixture = await startFixtureUpstream({
      providers: [
        ...defaultFixtureProviders,
        {
          namespace: "fixture",
          type: "gamma",
          versions: GAMMA_VERSIONS,
          platforms: ["linux_amd64", "windows_amd64"],
        },
      ],
    });
    const dataDir = join(dir.path, "data");
    larder = await openTerraformLarder({
      dataDir,
      upstreams: new Map([
        [TF, fixture.url],
        [DEAD, `http://127.0.0.1:${await closedPort()}`],
      ]),
      // One attempt per request: the dead host must answer "unknown" quickly.
      http: { retries: 0 },
    });
    db = openDatabase(join(dataDir, "larder.db"));
    const report = await larder.mirrorProviders({
      address: "fixture/alpha",
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
  });

  afterAll(async () => {
    db.close();
    larder.close();
    await fixture.stop();
    await dir.remove();
  });

  beforeEach(() => {
    fixture.clearRequests();
  });

  it("uses the size the registry's download answer gives, without a HEAD", async () => {
    const answer = await larder.catalogs.providerSizes(TF, "fixture", "beta", {
      versions: ["0.4.0"],
      platforms: ["linux_amd64", "linux_arm64"],
    });
    expect(answer.sizes).toEqual([
      {
        version: "0.4.0",
        platform: "linux_amd64",
        size: zipSize("beta", "0.4.0", "linux_amd64"),
        source: "registry",
      },
      {
        version: "0.4.0",
        platform: "linux_arm64",
        size: zipSize("beta", "0.4.0", "linux_arm64"),
        source: "registry",
      },
    ]);
    expect(answer.complete).toBe(true);
    expect(answer.total).toBe(
      zipSize("beta", "0.4.0", "linux_amd64") + zipSize("beta", "0.4.0", "linux_arm64"),
    );
    expect(requestsMatching(/\/download\//)).toHaveLength(2);
    expect(requestsMatching(/^HEAD /)).toEqual([]);
  });

  it("HEADs the download_url otherwise, and answers from the cache next time without a request", async () => {
    const request = { versions: ["2.0.0"], platforms: ["darwin_arm64"] };
    const first = await larder.catalogs.providerSizes(TF, "fixture", "alpha", request);
    expect(first.sizes).toEqual([
      {
        version: "2.0.0",
        platform: "darwin_arm64",
        size: zipSize("alpha", "2.0.0", "darwin_arm64"),
        source: "head",
      },
    ]);
    expect(requestsMatching(/^HEAD /)).toEqual([
      "HEAD /releases/fixture/alpha/2.0.0/terraform-provider-alpha_2.0.0_darwin_arm64.zip",
    ]);
    fixture.clearRequests();
    const second = await larder.catalogs.providerSizes(TF, "fixture", "alpha", request);
    expect(second.sizes).toEqual([
      expect.objectContaining({
        size: first.sizes[0]?.size,
        source: "cached",
        fetchedAt: expect.any(String) as unknown,
      }),
    ]);
    expect(fixture.requests).toEqual([]);
  });

  it("gives a stored package's exact size without a request", async () => {
    const answer = await larder.catalogs.providerSizes(TF, "fixture", "alpha", {
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });
    expect(answer.sizes).toEqual([
      {
        version: "1.0.0",
        platform: "linux_amd64",
        size: zipSize("alpha", "1.0.0", "linux_amd64"),
        source: "stored",
      },
    ]);
    expect(fixture.requests).toEqual([]);
  });

  it("fills the detail's sizes from stored and cached ones, making no size request", async () => {
    const detail = await larder.catalogs.provider(TF, "fixture", "alpha");
    const sizeOf = (version: string, platform: string): number | null | undefined =>
      detail.versions
        .find((entry) => entry.version === version)
        ?.platforms?.find((entry) => `${entry.os}_${entry.arch}` === platform)?.size;
    expect(sizeOf("1.0.0", "linux_amd64")).toBe(zipSize("alpha", "1.0.0", "linux_amd64"));
    expect(sizeOf("2.0.0", "darwin_arm64")).toBe(zipSize("alpha", "2.0.0", "darwin_arm64"));
    expect(sizeOf("1.1.0", "windows_amd64")).toBeNull();
    expect(requestsMatching(/^HEAD |\/download\//)).toEqual([]);
  });

  it("forgets cached sizes of a version the registry no longer lists", async () => {
    const sizes = new PackageSizeRepository(db);
    const alpha = { host: TF, namespace: "fixture", type: "alpha" };
    sizes.put(alpha, {
      version: "9.9.9",
      os: "linux",
      arch: "amd64",
      size: 1,
      source: "head",
      fetchedAt: "2026-01-01T00:00:00Z",
    });
    await larder.catalogs.provider(TF, "fixture", "alpha");
    expect(sizes.sizesOf(alpha).map((record) => record.version)).toEqual(["2.0.0"]);
  });

  it("makes at most 8 look-ups per call, 2 at once, and the rest say limit until asked again", async () => {
    // Slow HEAD answers make the look-ups overlap: an unbounded estimator would have all 8 in flight at once.
    fixture.delayAnswers("/releases/fixture/alpha/", 150);
    const request = {
      versions: ["1.0.0", "1.1.0", "2.0.0", "2.1.0-beta1"],
      platforms: ["linux_amd64", "darwin_arm64", "windows_amd64"],
    };
    try {
      const first = await larder.catalogs.providerSizes(TF, "fixture", "alpha", request);
      // 12 packages: one stored, one cached, 8 looked up, 2 over the limit.
      const sources = first.sizes.map((estimate) => estimate.source);
      expect(sources.filter((source) => source === "head")).toHaveLength(8);
      const limited = first.sizes.filter((estimate) => estimate.source === "unknown");
      expect(limited).toHaveLength(2);
      expect(limited.map((estimate) => [estimate.size, estimate.reason])).toEqual([
        [null, expect.stringContaining("limit")],
        [null, expect.stringContaining("limit")],
      ]);
      expect(first.complete).toBe(false);
      expect(requestsMatching(/^HEAD /)).toHaveLength(8);
      expect(fixture.peakInFlight("/releases/fixture/alpha/")).toBe(2);
    } finally {
      fixture.delayAnswers("/releases/fixture/alpha/", 0);
    }
    fixture.clearRequests();
    const again = await larder.catalogs.providerSizes(TF, "fixture", "alpha", request);
    expect(again.complete).toBe(true);
    expect(requestsMatching(/^HEAD /)).toHaveLength(2);
    expect(again.total).toBe(
      request.versions
        .flatMap((version) => request.platforms.map((platform) => zipSize("alpha", version, platform)))
        .reduce((a, b) => a + b, 0),
    );
  });

  it("answers offline from stored and cached sizes only, making no request", async () => {
    const answer = await larder.catalogs.providerSizes(TF, "fixture", "beta", {
      versions: ["0.4.0", "0.3.0"],
      platforms: ["linux_amd64"],
      offline: true,
    });
    expect(answer.sizes.map((estimate) => [estimate.version, estimate.source, estimate.reason])).toEqual([
      ["0.4.0", "cached", undefined],
      ["0.3.0", "unknown", expect.stringContaining("offline")],
    ]);
    expect(answer.complete).toBe(false);
    expect(answer.total).toBe(zipSize("beta", "0.4.0", "linux_amd64"));
    expect(fixture.requests).toEqual([]);
  });

  it("reports a failing HEAD as unknown with the reason, and does not cache it", async () => {
    fixture.failNext("/releases/fixture/gamma/1.0.0/", 500);
    const request = { versions: ["1.0.0"], platforms: ["linux_amd64", "darwin_arm64"] };
    const first = await larder.catalogs.providerSizes(TF, "fixture", "gamma", request);
    expect(first.sizes).toEqual([
      expect.objectContaining({
        platform: "linux_amd64",
        size: null,
        source: "unknown",
        reason: expect.stringContaining("HTTP 500") as unknown,
      }),
      expect.objectContaining({
        platform: "darwin_arm64",
        size: null,
        source: "unknown",
        reason: expect.stringContaining("does not offer") as unknown,
      }),
    ]);
    const second = await larder.catalogs.providerSizes(TF, "fixture", "gamma", request);
    expect(second.sizes[0]).toEqual(
      expect.objectContaining({ size: zipSize("gamma", "1.0.0", "linux_amd64"), source: "head" }),
    );
  });

  it("answers unknown with the message when the registry cannot be reached", async () => {
    const answer = await larder.catalogs.providerSizes(DEAD, "fixture", "gamma", {
      versions: ["1.1.0"],
      platforms: ["linux_amd64"],
    });
    expect(answer.sizes).toEqual([
      expect.objectContaining({
        size: null,
        source: "unknown",
        reason: expect.stringContaining("refused") as unknown,
      }),
    ]);
    expect(answer.complete).toBe(false);
  });

  it("gives up on a registry slower than the call's time limit, answering unknown", async () => {
    // A second engine on the same data directory, with a short limit; the first's answers stay cached.
    const quick = await openTerraformLarder({
      dataDir: join(dir.path, "data"),
      upstreams: new Map([[TF, fixture.url]]),
      http: { retries: 0 },
      sizeLimits: { callTimeoutMs: 300 },
    });
    fixture.delayAnswers("/releases/fixture/gamma/1.1.0/", 2_000);
    try {
      const started = Date.now();
      const answer = await quick.catalogs.providerSizes(TF, "fixture", "gamma", {
        versions: ["1.1.0"],
        platforms: ["linux_amd64", "windows_amd64"],
      });
      expect(answer.sizes.map((estimate) => [estimate.source, estimate.reason])).toEqual([
        ["unknown", expect.stringContaining("took longer than 0.3 s")],
        ["unknown", expect.stringContaining("took longer than 0.3 s")],
      ]);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      fixture.delayAnswers("/releases/fixture/gamma/1.1.0/", 0);
      quick.close();
    }
  });
});
