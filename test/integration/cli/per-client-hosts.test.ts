// The clients a mirror serves (terraform, tofu; default both), through the built CLI: the `clients` setting,
// `--for` and LARDER_CLIENTS, and host-less addresses mirrored for each client's default host.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, listJsonSchema, listStored, TempDirs } from "./cli-support.js";

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";
/** The real default: cliEnv's LARDER_CLIENTS=terraform is emptied, so the setting (or both clients) applies. */
const DEFAULT_CLIENTS = { LARDER_CLIENTS: "" } as const;

let fixture: FixtureUpstream;
/** A second registry that publishes no providers of its own (only the hostile ones every fixture has). */
let empty: FixtureUpstream;
const dirs = new TempDirs("cli-clients");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  empty = await startFixtureUpstream({ providers: [] });
});

afterAll(async () => {
  await Promise.all([fixture.stop(), empty.stop()]);
});

beforeEach(() => {
  fixture.clearRequests();
  empty.clearRequests();
});

afterEach(async () => {
  await dirs.removeAll();
});

/** Both public hosts on the fixture, each answering in its own registry's shapes (`tofu` may point elsewhere). */
function twoHosts(tofu: string = fixture.urlFor("opentofu-registry")): string[] {
  return ["--upstream", `${TF}=${fixture.urlFor("terraform-registry")}`, "--upstream", `${TOFU}=${tofu}`];
}

function config(dataDir: string, args: readonly string[]): Promise<CliResult> {
  return runLarder(["config", ...args, "--data-dir", dataDir], DEFAULT_CLIENTS);
}

/** `larder mirror provider ADDRESS --version 1.0.0 --platform linux_amd64` on both hosts. */
function mirrorAlpha(
  dataDir: string,
  address: string,
  extra: readonly string[] = [],
  env: Record<string, string> = DEFAULT_CLIENTS,
): Promise<CliResult> {
  return runLarder(
    [
      ...["mirror", "provider", address, "--version", "1.0.0", "--platform", "linux_amd64"],
      ...extra,
      ...["--data-dir", dataDir],
      ...twoHosts(),
    ],
    env,
  );
}

/** The hosts of the stored providers, sorted. */
async function storedHosts(dataDir: string): Promise<string[]> {
  return (await listStored(dataDir)).map((entry) => `${entry.host}/${entry.namespace}/${entry.type}`).sort();
}

function expectSuccess(result: CliResult): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
}

/** Requests for one path suffix, under any flavour prefix. */
function requestsEnding(upstream: FixtureUpstream, pattern: RegExp): string[] {
  return upstream.requests.filter((request) => pattern.test(request));
}

describe("larder config clients", () => {
  it("lists clients with its default, sets, reads back and unsets it", async () => {
    const dataDir = await dirs.make();
    const listed = await config(dataDir, []);
    expectSuccess(listed);
    expect(listed.stdout).toMatch(/^SETTING\s+VALUE\s+FROM\s+MEANING$/m);
    expect(listed.stdout).toMatch(/^clients +terraform,tofu +default +\S/m);

    const set = await config(dataDir, ["set", "clients", "tofu"]);
    expectSuccess(set);
    expect(set.stdout).toBe("clients = tofu\n");
    expect((await config(dataDir, ["get", "clients"])).stdout).toBe("tofu\n");
    expect((await config(dataDir, [])).stdout).toMatch(/^clients\s+tofu\s+set\s/m);

    const unset = await config(dataDir, ["unset", "clients"]);
    expectSuccess(unset);
    expect(unset.stdout).toBe("clients = terraform,tofu (default)\n");
    const got = await config(dataDir, ["get", "clients"]);
    expectSuccess(got);
    expect(got.stdout).toBe("terraform,tofu\n");
    expect((await config(dataDir, [])).stdout).toMatch(/^clients\s+terraform,tofu\s+default\s/m);
  });

  it("refuses an unknown client with exit 2, naming both clients, and keeps the old value", async () => {
    const dataDir = await dirs.make();
    const result = await config(dataDir, ["set", "clients", "foo"]);
    expect(result.code).toBe(2);
    // Not "--for takes …": that flag is not what was typed here.
    expectOneLineFailure(result, /"foo"/, /terraform/, /tofu/);
    expect(result.stderr).not.toMatch(/--for/);
    expect((await config(dataDir, ["get", "clients"])).stdout).toBe("terraform,tofu\n");
  });

  it("refuses an unknown setting with exit 2, naming the known ones", async () => {
    const dataDir = await dirs.make();
    const result = await config(dataDir, ["get", "nosuch"]);
    expect(result.code).toBe(2);
    expectOneLineFailure(result, /"nosuch"/, /the settings are clients\b/);
  });

  it("refuses --for foo with exit 2 before asking any upstream", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder(
      ["mirror", "provider", "x/y", "--for", "foo", "--data-dir", dataDir, ...twoHosts()],
      DEFAULT_CLIENTS,
    );
    expect(result.code).toBe(2);
    expectOneLineFailure(result, /"foo"/, /terraform/, /tofu/);
    expect(fixture.requests).toEqual([]);
  });
});

describe("a host-less provider with the default clients", () => {
  it("is stored once per client's host, downloading the zip once but each host's SHA256SUMS", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorAlpha(dataDir, "fixture/alpha");
    expectSuccess(result);
    expect(result.stderr).toMatch(/provider fixture\/alpha for terraform and tofu 1\.0\.0 \(linux_amd64\)/);
    expect(result.stdout).toMatch(/Stored 2, already present 0, failed 0\./);
    expect(await storedHosts(dataDir)).toEqual([`${TOFU}/fixture/alpha`, `${TF}/fixture/alpha`]);

    const zip = fixture.packageOf("fixture", "alpha", "1.0.0", "linux_amd64").filename;
    const zips = requestsEnding(fixture, new RegExp(`^GET \\S*/${zip.replaceAll(".", "\\.")}`));
    expect(zips).toHaveLength(1);
    // Both flavours' download answers name the same /releases/ URLs: one request each per host.
    expect(requestsEnding(fixture, /^GET \S*_SHA256SUMS$/)).toHaveLength(2);
    expect(requestsEnding(fixture, /^GET \S*_SHA256SUMS\.sig$/)).toHaveLength(2);
    for (const flavour of ["terraform-registry", "opentofu-registry"]) {
      expect(
        requestsEnding(
          fixture,
          new RegExp(`^GET /${flavour}/v1/providers/fixture/alpha/1\\.0\\.0/download/`),
        ),
      ).toHaveLength(1);
    }
  });

  it("is listed in one section per host, hosts in alphabetical order", async () => {
    const dataDir = await dirs.make();
    expectSuccess(await mirrorAlpha(dataDir, "fixture/alpha"));
    const table = await runLarder(["list", "--data-dir", dataDir], DEFAULT_CLIENTS);
    expectSuccess(table);
    const hostLines = table.stdout.split("\n").filter((line) => /^\S/.test(line));
    expect(hostLines).toEqual([TOFU, TF]);
    for (const host of [TF, TOFU]) {
      expect(table.stdout).toMatch(
        new RegExp(
          `^${host.replaceAll(".", "\\.")}\\n {2}PROVIDER.*\\n {2}fixture/alpha\\s+1\\.0\\.0\\s`,
          "m",
        ),
      );
    }
  });
});

describe("choosing the clients", () => {
  it("--for tofu mirrors for registry.opentofu.org only", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorAlpha(dataDir, "fixture/alpha", ["--for", "tofu"]);
    expectSuccess(result);
    expect(result.stdout).toMatch(/Stored 1, already present 0, failed 0\./);
    expect(await storedHosts(dataDir)).toEqual([`${TOFU}/fixture/alpha`]);
    expect(requestsEnding(fixture, /^GET \/terraform-registry\//)).toEqual([]);
  });

  it("an explicit host means that host only, whatever the clients", async () => {
    const dataDir = await dirs.make();
    const result = await mirrorAlpha(dataDir, `${TF}/fixture/alpha`);
    expectSuccess(result);
    expect(await storedHosts(dataDir)).toEqual([`${TF}/fixture/alpha`]);
    expect(requestsEnding(fixture, /^GET \/opentofu-registry\//)).toEqual([]);
  });

  it("follows the clients setting, which LARDER_CLIENTS overrides, which --for overrides", async () => {
    const settingDir = await dirs.make();
    expectSuccess(await config(settingDir, ["set", "clients", "terraform"]));
    expectSuccess(await mirrorAlpha(settingDir, "fixture/alpha"));
    expect(await storedHosts(settingDir)).toEqual([`${TF}/fixture/alpha`]);

    const envDir = await dirs.make();
    expectSuccess(await config(envDir, ["set", "clients", "terraform"]));
    expectSuccess(await mirrorAlpha(envDir, "fixture/alpha", [], { LARDER_CLIENTS: "tofu" }));
    expect(await storedHosts(envDir)).toEqual([`${TOFU}/fixture/alpha`]);

    const flagDir = await dirs.make();
    expectSuccess(
      await mirrorAlpha(flagDir, "fixture/alpha", ["--for", "terraform"], { LARDER_CLIENTS: "tofu" }),
    );
    expect(await storedHosts(flagDir)).toEqual([`${TF}/fixture/alpha`]);
  });
});

describe("a provider one client's registry does not have", () => {
  it("fails naming that host and suggesting --for the other, storing nothing", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder(
      [
        ...["mirror", "provider", "fixture/alpha", "--version", "1.0.0", "--platform", "linux_amd64"],
        ...["--data-dir", dataDir],
        ...twoHosts(empty.urlFor("opentofu-registry")),
      ],
      DEFAULT_CLIENTS,
    );
    expectOneLineFailure(result, /registry\.opentofu\.org/, /--for terraform\b/);
    expect(empty.requests.some((request) => request.includes("/fixture/alpha/"))).toBe(true);
    expect(await listStored(dataDir)).toEqual([]);
  });
});

describe("a host-less module with the default clients", () => {
  it("stores it and its host-less call on both hosts, its hosted provider on that host only", async () => {
    const dataDir = await dirs.make();
    const result = await runLarder(
      [
        ...["mirror", "module", "fixture/caller/fixture", "--version", "1.0.0", "--platform", "linux_amd64"],
        ...["--data-dir", dataDir],
        ...twoHosts(),
        ...["--upstream", `github.com=${fixture.url}/github`],
      ],
      DEFAULT_CLIENTS,
    );
    expectSuccess(result);
    // One item per caller; each follows the host-less call on both hosts, so each flat is wanted twice: stored by
    // one item, found already present by the other (never fetched twice).
    expect(result.stdout).toContain(
      "Modules: stored 4, already present 2, failed 0. Providers: stored 1, already present 0, failed 0.",
    );
    expect(
      result.stderr.match(/^fetching +module registry\.\S+\/fixture\/flat\/fixture 1\.1\.0$/gm),
    ).toHaveLength(2);
    const listed = await runLarder(["list", "--json", "--data-dir", dataDir], DEFAULT_CLIENTS);
    expectSuccess(listed);
    const { modules, providers } = listJsonSchema.parse(JSON.parse(listed.stdout));
    expect(
      modules.map((entry) => `${entry.host}/${entry.namespace}/${entry.name} ${entry.version}`).sort(),
    ).toEqual([
      `${TOFU}/fixture/caller 1.0.0`,
      `${TOFU}/fixture/flat 1.1.0`,
      `${TF}/fixture/caller 1.0.0`,
      `${TF}/fixture/flat 1.1.0`,
    ]);
    expect(
      providers.map((entry) => `${entry.host}/${entry.namespace}/${entry.type} ${entry.platforms.join(",")}`),
    ).toEqual([`${TF}/fixture/alpha linux_amd64`]);
  });
});
