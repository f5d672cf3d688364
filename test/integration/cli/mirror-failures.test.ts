import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  hostilePlatform,
  hostileTypes,
  startFixtureUpstream,
  type FixtureUpstream,
  type HostileType,
} from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { closedPort, expectOneLineFailure, listStored, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-mirror-fail");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

beforeEach(() => {
  fixture.clearRequests();
});

afterEach(async () => {
  await dirs.removeAll();
});

async function mirror(dataDir: string, args: readonly string[]): ReturnType<typeof runLarder> {
  return runLarder(["mirror", "provider", ...args, "--data-dir", dataDir, ...upstreamArgs(fixture)]);
}

/** `--platform P` for each platform. */
const on = (...platforms: string[]): string[] => platforms.flatMap((platform) => ["--platform", platform]);

describe("larder mirror provider: invalid input is refused before any request", () => {
  const cases: readonly { name: string; args: string[]; reason: RegExp }[] = [
    { name: "an address without a type", args: ["fixture"], reason: /Invalid provider address "fixture"/ },
    {
      name: "an address with too many parts",
      args: ["a/b/c/d"],
      reason: /Invalid provider address "a\/b\/c\/d"/,
    },
    {
      name: "a platform without an arch",
      args: ["fixture/alpha", "--platform", "linux"],
      reason: /Invalid platform "linux"/,
    },
    {
      name: "a malformed version constraint",
      args: ["fixture/alpha", ...on("linux_amd64"), "--version", "~>> 1"],
      reason: /Invalid version constraint "~>> 1"/,
    },
    {
      name: "a non-numeric --concurrency",
      args: ["fixture/alpha", ...on("linux_amd64"), "--concurrency", "lots"],
      reason: /Invalid --concurrency "lots"/,
    },
  ];

  for (const { name, args, reason } of cases) {
    it(`${name}: exit 2, a one-line reason, nothing stored, no request`, async () => {
      const dataDir = await dirs.make();
      const result = await mirror(dataDir, args);
      expectOneLineFailure(result, reason);
      expect(result.code).toBe(2);
      expect(fixture.requests).toEqual([]);
      expect(await listStored(dataDir)).toEqual([]);
    });
  }
});

describe("larder mirror provider: what upstream cannot satisfy", () => {
  it("a constraint no version matches names the constraint and the available versions", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["fixture/alpha", "--version", ">= 9", ...on("linux_amd64")]);
    expectOneLineFailure(
      result,
      /No version of registry\.terraform\.io\/fixture\/alpha matches ">= 9"/,
      /2\.0\.0/,
    );
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("a provider the registry does not have is named", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["fixture/gamma", ...on("linux_amd64")]);
    expectOneLineFailure(result, /fixture\/gamma/);
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("a platform the version does not offer names it and the offered ones, and downloads nothing", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["fixture/beta", "--version", "0.4.0", ...on("darwin_arm64")]);
    expectOneLineFailure(
      result,
      /fixture\/beta 0\.4\.0 darwin_arm64 is not available upstream/,
      /linux_amd64, linux_arm64/,
    );
    expect(fixture.requests.filter((request) => request.startsWith("GET /releases/"))).toEqual([]);
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("a platform missing for one version still stores the others and exits non-zero", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, [
      "fixture/beta",
      "--version",
      "0.4.0",
      ...on("linux_amd64", "windows_amd64"),
    ]);
    expectOneLineFailure(result, /windows_amd64 is not available upstream/);
    expect(result.stdout).toMatch(/Stored 1, already present 0, failed 1\./);
    expect(
      (await listStored(dataDir)).map((entry) => `${entry.version} ${entry.platforms.join(",")}`),
    ).toEqual(["0.4.0 linux_amd64"]);
  });

  it("a registry that keeps answering 503 fails after retrying, naming the status", async () => {
    const dataDir = await dirs.make();
    fixture.failNext("/v1/providers/fixture/alpha/versions", 503, 10);
    const result = await mirror(dataDir, ["fixture/alpha", ...on("linux_amd64")]);
    expectOneLineFailure(result, /HTTP 503/, new RegExp(fixture.url.replaceAll(".", "\\.")));
    expect(
      fixture.requests.filter((request) => request.endsWith("/fixture/alpha/versions")).length,
    ).toBeGreaterThan(1);
    expect(await listStored(dataDir)).toEqual([]);
  });
});

describe("larder mirror provider: hostile packages are refused and nothing is stored", () => {
  const reasons: Record<HostileType, RegExp> = {
    "unknown-key": /signed by key [0-9A-F]{16}, which is not among the registry's signing keys/,
    "bad-signature": /signature is invalid/,
    "shasum-mismatch": /shasum [0-9a-f]{64} differs from the signed SHA256SUMS/,
    "sums-mismatch": /differs from the signed SHA256SUMS/,
    "tampered-archive": /archive has sha256 [0-9a-f]{64}, but .*SHA256SUMS say [0-9a-f]{64}/,
    "no-keys": /no signing keys/,
    traversal: /not a plain file name/,
    "truncated-transfer": /closed before the transfer finished/,
    "truncated-zip": /not a valid provider zip/,
    "wrong-platform": /package for darwin_arm64 instead/,
  };

  for (const type of hostileTypes) {
    it(`hostile/${type}`, async () => {
      const dataDir = await dirs.make();
      const result = await mirror(dataDir, [`hostile/${type}`, "--platform", hostilePlatform]);
      expectOneLineFailure(result, new RegExp(`hostile/${type}`), reasons[type]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Stored 0, already present 0, failed 1\./);
      expect(await listStored(dataDir)).toEqual([]);
    });
  }
});

describe("larder mirror provider: an upstream that cannot be reached", () => {
  it("a stopped upstream: non-zero, the connection failure and the URL", async () => {
    const gone = await startFixtureUpstream({ providers: [] });
    await gone.stop();
    const dataDir = await dirs.make();
    const result = await runLarder([
      "mirror",
      "provider",
      "fixture/alpha",
      "--platform",
      "linux_amd64",
      "--data-dir",
      dataDir,
      "--upstream",
      `registry.terraform.io=${gone.url}`,
    ]);
    expectOneLineFailure(
      result,
      /connection was refused/,
      new RegExp(`${gone.url.replaceAll(".", "\\.")}/\\.well-known/terraform\\.json`),
    );
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("a closed port given through LARDER_UPSTREAMS: same, and says what to check", async () => {
    const dataDir = await dirs.make();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runLarder(
      ["mirror", "provider", "fixture/alpha", ...on("linux_amd64"), "--data-dir", dataDir],
      {
        LARDER_UPSTREAMS: `registry.terraform.io=${url}`,
      },
    );
    expectOneLineFailure(result, /connection/, new RegExp(url.replaceAll(".", "\\.")), /--upstream URL/);
    expect(await listStored(dataDir)).toEqual([]);
  });
});
