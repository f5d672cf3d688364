// `larder catalog refresh` through the built CLI against the fixture's catalog endpoints, and against a dead port.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { closedPort, expectOneLineFailure, TempDirs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-catalog");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});
afterAll(() => fixture.stop());
afterEach(async () => {
  fixture.configureCatalog({ syntheticProviders: 0, maxPageSize: 100 });
  await dirs.removeAll();
});

describe("larder catalog refresh", () => {
  it("prints progress on stderr and one summary line per source, then not modified", async () => {
    fixture.configureCatalog({ syntheticProviders: 25, maxPageSize: 10 });
    const dataDir = await dirs.make();
    const args = [
      "catalog",
      "refresh",
      "--upstream",
      `registry.terraform.io=${fixture.urlFor("terraform-registry")}`,
      "--upstream",
      `api.opentofu.org=${fixture.url}`,
      "--data-dir",
      dataDir,
    ];
    const first = await runLarder(args);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe("registry.terraform.io providers: 27 entries in 3 pages; 0 removed");
    expect(lines[1]).toMatch(/^registry\.terraform\.io modules: \d+ entries in 1 page; 0 removed$/);
    expect(lines[2]).toMatch(/^registry\.opentofu\.org providers: \d+ entries in 1 page; 0 removed$/);
    expect(lines[3]).toMatch(/^registry\.opentofu\.org modules: \d+ entries in 1 page; 0 removed$/);
    expect(first.stderr).toMatch(/^registry\.terraform\.io providers: page 3 stored, 27 entries so far$/m);

    const again = await runLarder([
      ...args,
      "--registry",
      "registry.opentofu.org",
      "--registry",
      "x.example",
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^x\.example has no catalog to list/m);
    expect(again.stdout).toMatch(/^registry\.opentofu\.org providers: not modified$/m);
    expect(again.stdout).toMatch(/^registry\.opentofu\.org modules: not modified$/m);

    const audit = await runLarder(["audit", "--json", "--data-dir", dataDir]);
    expect(audit.stdout).toMatch(/catalog\.refresh/);
  });

  it("exits 1 with the reason when every source fails", async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const result = await runLarder(
      [
        "catalog",
        "refresh",
        "--upstream",
        `registry.terraform.io=${dead}`,
        "--upstream",
        `api.opentofu.org=${dead}`,
        "--data-dir",
        await dirs.make(),
      ],
      { LARDER_HTTP_STALL_MS: "2000" },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^registry\.terraform\.io providers: FAILED: /m);
    expectOneLineFailure(result, /Every catalog source failed/);
  });
});
