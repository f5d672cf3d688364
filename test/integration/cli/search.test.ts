import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { openDatabase } from "../../../main/db/connection.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
let dataDir: string;
const dirs = new TempDirs("cli-search");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  dataDir = await dirs.make();
  const stocked = await runLarder([
    "mirror",
    "provider",
    "registry.terraform.io/fixture/alpha",
    "--version",
    "2.0.0",
    "--platform",
    "linux_amd64",
    "--data-dir",
    dataDir,
    ...upstreamArgs(fixture),
  ]);
  if (stocked.code !== 0) throw new Error(`stocking the mirror failed: ${stocked.stderr}`);
  // Fills the cache as a refresh would, without depending on one.
  const db = openDatabase(join(dataDir, "larder.db"));
  const cache = new CatalogRepository(db);
  cache.upsertEntries(
    [
      {
        host: "registry.terraform.io",
        kind: "provider",
        namespace: "fixture",
        name: "alpha",
        system: null,
        description: `A provider ${"with a long description ".repeat(6)}`,
        tier: "official",
        verified: false,
        popularity: 42,
        source: null,
        latestVersion: "2.0.0",
        versions: null,
      },
    ],
    "2026-01-01T00:00:00Z",
  );
  cache.saveSourceState({
    host: "registry.terraform.io",
    kind: "provider",
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: "2026-01-01T00:10:00Z",
    etag: null,
    cursor: null,
    lastError: null,
  });
  db.close();
});

afterAll(async () => {
  await fixture.stop();
  await dirs.removeAll();
});

describe("larder search", () => {
  it("prints a table with stored marks and the refresh time", async () => {
    const result = await runLarder(["search", "alpha", "--offline", "--data-dir", dataDir]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ADDRESS\s+KIND\s+LATEST\s+STORED\s+POPULARITY\s+DESCRIPTION$/);
    expect(lines[1]).toMatch(
      /^registry\.terraform\.io\/fixture\/alpha\s+provider\s+2\.0\.0\s+stored\s+42\s+A provider/,
    );
    expect(lines[1]).toContain("…");
    expect(result.stdout).toMatch(
      /catalog of registry\.terraform\.io refreshed 2026-01-01 00:10 \(\d+ days ago\)/,
    );
    expect(result.stdout).toContain("offline: answered from the cache");
  });

  it("prints the result object with --json", async () => {
    const result = await runLarder(["search", "fixture/alpha", "--offline", "--json", "--data-dir", dataDir]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { offline: boolean; results: { stored: string }[] };
    expect(parsed.offline).toBe(true);
    expect(parsed.results.map((hit) => hit.stored)).toEqual(["stored"]);
  });

  it("looks an address up live through --upstream and says when a catalog was never refreshed", async () => {
    const result = await runLarder([
      "search",
      "registry.example.com/fixture/beta",
      "--data-dir",
      dataDir,
      "--upstream",
      `registry.example.com=${fixture.url}`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^registry\.example\.com\/fixture\/beta\s+provider\s+0\.4\.0\s+not-stored/m,
    );
    expect(result.stdout).toContain(
      "catalog of registry.example.com never refreshed: run larder catalog refresh",
    );
    expect(result.stdout).not.toContain("offline:");
  });

  it("refuses an unknown kind", async () => {
    const result = await runLarder(["search", "x", "--kind", "plugin", "--data-dir", dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--kind takes provider or module");
  });
});
