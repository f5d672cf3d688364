// Two `larder mirror` processes on one data directory, the same package at the same time: both end well, and the
// package is stored once (issue 10: no SQLite message ever reaches a user).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { storedSummary, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-concurrent");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

afterEach(async () => {
  fixture.slowDown("/releases/", 0);
  await dirs.removeAll();
});

describe("concurrent mirrors of the same package", () => {
  it("both processes succeed and the package is stored once", async () => {
    const dataDir = await dirs.make();
    // Slow archives keep both transfers open at once.
    fixture.slowDown("/releases/", 4_000);
    const args = [
      ...["mirror", "provider", "fixture/alpha", "--version", "1.0.0", "--platform", "linux_amd64"],
      ...["--data-dir", dataDir, ...upstreamArgs(fixture)],
    ];
    const [first, second] = await Promise.all([runLarder(args), runLarder(args)]);
    for (const result of [first, second]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/SQLITE|constraint/i);
      expect(result.stdout).toMatch(/failed 0\./);
    }
    expect(await storedSummary(dataDir)).toEqual(["fixture/alpha 1.0.0 linux_amd64"]);
  });
});
