// `larder mirror` against answers shaped like the real registries' (terraform-protocols.md §2.2 "Observed shapes"):
// registry.terraform.io's nulls, and registry.opentofu.org's bare key objects and keyless providers.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  defaultFixtureProviders,
  keylessFixtureProvider,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { runLarder, startLarderServe } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, listStored, TempDirs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-shapes");

beforeAll(async () => {
  fixture = await startFixtureUpstream({
    providers: [...defaultFixtureProviders, keylessFixtureProvider],
  });
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

/** Both public hosts, each answering in its own registry's shapes. */
function realShapes(): string[] {
  return [
    "--upstream",
    `registry.terraform.io=${fixture.urlFor("terraform-registry")}`,
    "--upstream",
    `registry.opentofu.org=${fixture.urlFor("opentofu-registry")}`,
  ];
}

function mirror(dataDir: string, args: readonly string[], env: Record<string, string> = {}) {
  return runLarder(
    ["mirror", "provider", ...args, "--platform", "linux_amd64", "--data-dir", dataDir, ...realShapes()],
    env,
  );
}

const archiveRequests = (): string[] =>
  fixture.requests.filter((request) => /^GET \/releases\/.*\.zip/.test(request));

describe("larder mirror provider against real registry answer shapes", () => {
  it("stores a package from registry.terraform.io answers with warnings: null and source_url: null", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.terraform.io/fixture/alpha", "--version", "1.0.0"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Stored 1, already present 0, failed 0\./);
    const [stored] = await listStored(dataDir);
    expect(stored).toMatchObject({ host: "registry.terraform.io", version: "1.0.0", signed: true });
  });

  it("stores a package from registry.opentofu.org answers whose key objects carry only key_id and ascii_armor", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.opentofu.org/fixture/beta", "--version", "0.4.0"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await listStored(dataDir)).toMatchObject([{ host: "registry.opentofu.org", signed: true }]);
  });
});

describe("keyless providers follow tofu's rule", () => {
  it("stores a keyless registry.opentofu.org provider as unsigned, with tofu's warning, and lists it so", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.opentofu.org/fixture/keyless"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/UNSIGNED: checksums verified/);
    expect(result.stderr).toMatch(
      /Signature validation was skipped due to the registry not containing GPG keys for this provider/,
    );
    expect(await listStored(dataDir)).toMatchObject([
      { host: "registry.opentofu.org", type: "keyless", version: "1.0.0", signed: false },
    ]);
    const table = await runLarder(["list", "--data-dir", dataDir]);
    expect(table.stdout).toMatch(
      /^registry\.opentofu\.org\n {2}PROVIDER.*\n {2}fixture\/keyless\s+1\.0\.0\s+linux_amd64\s+\S+ \S+\s+UNSIGNED/,
    );
  });

  it("refuses a keyless provider with --require-signatures before downloading the archive", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.opentofu.org/fixture/keyless", "--require-signatures"]);
    expectOneLineFailure(result, /fixture\/keyless 1\.0\.0 linux_amd64/, /signatures are required/);
    expect(archiveRequests()).toEqual([]);
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("refuses it with LARDER_REQUIRE_SIGNATURES=1 too", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.opentofu.org/fixture/keyless"], {
      LARDER_REQUIRE_SIGNATURES: "1",
    });
    expectOneLineFailure(result, /signatures are required/);
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("refuses the same keyless answer from any other host, before the archive is downloaded", async () => {
    const dataDir = await dirs.make();
    const result = await mirror(dataDir, ["registry.terraform.io/fixture/keyless"]);
    expectOneLineFailure(result, /no signing keys/, /only registry\.opentofu\.org may serve keyless/);
    expect(archiveRequests()).toEqual([]);
    expect(await listStored(dataDir)).toEqual([]);
  });

  it("serves the unsigned package back with no keys, so tofu can warn in its turn", async () => {
    const dataDir = await dirs.make();
    expect((await mirror(dataDir, ["registry.opentofu.org/fixture/keyless"])).code).toBe(0);
    const serve = await startLarderServe(["--data-dir", dataDir, "--port", "0", "--https-port", "0"]);
    try {
      const answer = await fetch(
        `${serve.httpUrl}/v1/providers/registry.opentofu.org/fixture/keyless/1.0.0/download/linux/amd64`,
      );
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { signing_keys: { gpg_public_keys: unknown[] } };
      expect(body.signing_keys.gpg_public_keys).toEqual([]);
    } finally {
      await serve.stop();
    }
  });
});
