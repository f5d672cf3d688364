import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { closedPort, requestsBeyondDiscovery, storedSummary, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-mirror");

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

/** `larder mirror provider ARGS… --data-dir D --upstream registry.terraform.io=<fixture>`. */
async function mirror(dataDir: string, args: readonly string[]): ReturnType<typeof runLarder> {
  return runLarder(["mirror", "provider", ...args, "--data-dir", dataDir, ...upstreamArgs(fixture)]);
}

/** Runs `mirror` and asserts it succeeded. */
async function mirrorOk(dataDir: string, args: readonly string[]): ReturnType<typeof runLarder> {
  const result = await mirror(dataDir, args);
  expect(result.code, result.stderr).toBe(0);
  return result;
}

/** `--platform P` for each platform. */
const on = (...platforms: string[]): string[] => platforms.flatMap((platform) => ["--platform", platform]);

const downloads = (requests: readonly string[]): string[] =>
  requests.filter((request) => request.includes("/download/") || request.startsWith("GET /releases/"));

describe("larder mirror provider: choosing versions and platforms", () => {
  it('stores the newest match of "~> 1.0" for every requested platform', async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, [
      "fixture/alpha",
      "--version",
      "~> 1.0",
      ...on("linux_amd64", "darwin_arm64"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Stored 2, already present 0, failed 0\./);
    expect(result.stderr).toMatch(
      /stored\s+registry\.terraform\.io\/fixture\/alpha 1\.1\.0 linux_amd64 \(.*verified\)/,
    );
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.1.0 darwin_arm64,linux_amd64"]);
  });

  it("without --version stores the newest release, not the newer prerelease", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["fixture/alpha", ...on("linux_amd64")]);
    expect(result.code, result.stderr).toBe(0);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 2.0.0 linux_amd64"]);
  });

  it("an exact prerelease version stores that prerelease", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, [
      "fixture/alpha",
      "--version",
      "2.1.0-beta1",
      ...on("windows_amd64"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 2.1.0-beta1 windows_amd64"]);
  });

  it('--all-versions with ">= 1.0" stores every matching release and skips the prerelease', async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, [
      "fixture/alpha",
      "--all-versions",
      "--version",
      ">= 1.0",
      ...on("linux_amd64"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Stored 3, already present 0, failed 0\./);
    expect(await storedSummary(dataDir)).toEqual([
      "fixture/alpha 1.0.0 linux_amd64",
      "fixture/alpha 1.1.0 linux_amd64",
      "fixture/alpha 2.0.0 linux_amd64",
    ]);
  });

  it("repeated --version flags each select their newest match; a full HOST/NAMESPACE/TYPE address works", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, [
      "registry.terraform.io/fixture/beta",
      "--version",
      "0.3.0",
      "--version",
      "~> 0.4",
      ...on("linux_arm64"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(await storedSummary(dataDir)).toEqual([
      "fixture/beta 0.3.0 linux_arm64",
      "fixture/beta 0.4.0 linux_arm64",
    ]);
  });
});

describe("larder mirror provider: re-runs", () => {
  it("an exact-version re-run makes no request upstream and says the package is already present", async () => {
    const dataDir = await dirs.make();
    const args = ["fixture/alpha", "--version", "1.1.0", ...on("linux_amd64", "darwin_arm64")];
    await mirrorOk(dataDir, args);
    expect(downloads(fixture.requests).length).toBeGreaterThan(0);
    fixture.clearRequests();

    const again = await mirrorOk(dataDir, args);
    expect(fixture.requests).toEqual([]);
    expect(again.stdout).toMatch(/Stored 0, already present 2, failed 0\./);
    expect(again.stderr).toMatch(
      /already stored\s+registry\.terraform\.io\/fixture\/alpha 1\.1\.0 darwin_arm64/,
    );
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.1.0 darwin_arm64,linux_amd64"]);
  });

  it("an exact-version re-run succeeds even with the upstream unreachable", async () => {
    const dataDir = await dirs.make();
    await mirrorOk(dataDir, ["fixture/beta", "--version", "= 0.3.0", ...on("linux_amd64")]);
    const dead = `registry.terraform.io=http://127.0.0.1:${await closedPort()}`;
    const args = ["fixture/beta", "--version", "= 0.3.0", ...on("linux_amd64"), "--data-dir", dataDir];
    const again = await runLarder(["mirror", "provider", ...args, "--upstream", dead]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/already present 1/);
  });

  it("a range re-run asks only for the version list and downloads nothing", async () => {
    const dataDir = await dirs.make();
    await mirrorOk(dataDir, ["fixture/alpha", "--version", "~> 1.0", ...on("linux_amd64")]);
    fixture.clearRequests();

    const again = await mirror(dataDir, ["fixture/alpha", "--version", "~> 1.0", ...on("linux_amd64")]);
    expect(again.code, again.stderr).toBe(0);
    expect(requestsBeyondDiscovery(fixture)).toEqual(["GET /v1/providers/fixture/alpha/versions"]);
    expect(again.stdout).toMatch(/Stored 0, already present 1, failed 0\./);
  });

  it("a re-run adding a platform downloads only the missing package", async () => {
    const dataDir = await dirs.make();
    await mirrorOk(dataDir, ["fixture/alpha", "--version", "1.0.0", ...on("linux_amd64")]);
    fixture.clearRequests();

    const again = await mirror(dataDir, [
      "fixture/alpha",
      "--version",
      "1.0.0",
      ...on("linux_amd64", "windows_amd64"),
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Stored 1, already present 1, failed 0\./);
    const fetched = downloads(fixture.requests);
    expect(fetched.some((request) => request.includes("windows_amd64"))).toBe(true);
    expect(fetched.some((request) => request.includes("linux_amd64"))).toBe(false);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64,windows_amd64"]);
  });
});

describe("larder mirror provider: transient failures and the environment", () => {
  it("retries a 503 on the version list and on a download, then succeeds", async () => {
    const dataDir = await dirs.make();
    fixture.failNext("/v1/providers/fixture/beta/versions", 503);
    fixture.failNext("/releases/fixture/beta/", 503, 2);
    const result = await mirror(dataDir, ["fixture/beta", "--version", "0.4.0", ...on("linux_amd64")]);
    expect(result.code, result.stderr).toBe(0);
    const versionRequests = fixture.requests.filter(
      (request) => request === "GET /v1/providers/fixture/beta/versions",
    );
    expect(versionRequests).toHaveLength(2);
    expect(await storedSummary(dataDir)).toEqual(["fixture/beta 0.4.0 linux_amd64"]);
  });

  it("LARDER_DATA_DIR and LARDER_UPSTREAMS stand in for --data-dir and --upstream", async () => {
    const dataDir = await dirs.make();
    const env = {
      LARDER_DATA_DIR: dataDir,
      LARDER_UPSTREAMS: `registry.opentofu.org=http://127.0.0.1:9,registry.terraform.io=${fixture.url}`,
    };
    const result = await runLarder(
      ["mirror", "provider", "fixture/beta", "--version", "0.3.0", ...on("linux_amd64")],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(fixture.requests).toContain("GET /v1/providers/fixture/beta/versions");
    const listed = await runLarder(["list"], { LARDER_DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^registry\.terraform\.io\n {2}PROVIDER.*\n {2}fixture\/beta\s+0\.3\.0\s+linux_amd64/,
    );
    expect(await storedSummary(dataDir)).toEqual(["fixture/beta 0.3.0 linux_amd64"]);
  });

  it("--upstream wins over LARDER_UPSTREAMS for the same host", async () => {
    const dataDir = await dirs.make();
    const env = { LARDER_UPSTREAMS: `registry.terraform.io=http://127.0.0.1:${await closedPort()}` };
    const args = ["fixture/beta", "--version", "0.3.0", ...on("linux_arm64"), "--data-dir", dataDir];
    const result = await runLarder(["mirror", "provider", ...args, ...upstreamArgs(fixture)], env);
    expect(result.code, result.stderr).toBe(0);
    expect(await storedSummary(dataDir)).toEqual(["fixture/beta 0.3.0 linux_arm64"]);
  });
});
