import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { storedSummary, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-mirror-retries");

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

describe("larder mirror provider: small documents cut off mid-body are fetched again", () => {
  it("stores the package when the download JSON and the SHA256SUMS each break off once", async () => {
    const downloadJson = "/v1/providers/fixture/alpha/1.0.0/download/linux/amd64";
    const shasums = "/releases/fixture/alpha/1.0.0/terraform-provider-alpha_1.0.0_SHA256SUMS";
    // Twenty bytes of each body, then the socket closes: before issue 10 this failed the package at once.
    fixture.resetAfter(downloadJson, 20);
    fixture.resetAfter(shasums, 20);
    const dataDir = await dirs.make();
    const result = await runLarder([
      "mirror",
      "provider",
      "fixture/alpha",
      "--version",
      "1.0.0",
      "--platform",
      "linux_amd64",
      "--data-dir",
      dataDir,
      ...upstreamArgs(fixture),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Stored 1, already present 0, failed 0\./);
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64"]);
    expect(fixture.requests.filter((request) => request === `GET ${downloadJson}`)).toHaveLength(2);
    expect(fixture.requests.filter((request) => request === `GET ${shasums}`)).toHaveLength(2);
  });
});
