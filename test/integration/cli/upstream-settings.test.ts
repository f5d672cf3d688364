// `larder config` for every scalar key and `larder upstream` with a private registry's token, through the built CLI.
import { spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { cliEnv, LARDER_BIN, runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, listStored, TempDirs } from "./cli-support.js";

const TF = "registry.terraform.io";
const TOKEN = "cli-private-token-42";

let guarded: FixtureUpstream;
const dirs = new TempDirs("cli-upstreams");

beforeAll(async () => {
  guarded = await startFixtureUpstream({ requireToken: TOKEN });
});

afterAll(async () => {
  await guarded.stop();
});

beforeEach(() => {
  guarded.clearRequests();
});

afterEach(async () => {
  await dirs.removeAll();
});

/** Runs `larder ARGS…` with `input` on stdin. */
function runWithStdin(args: readonly string[], input: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LARDER_BIN, ...args], { env: cliEnv(), stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

function expectSuccess(result: CliResult): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
}

function mirrorAlpha(dataDir: string, extra: readonly string[] = []): Promise<CliResult> {
  return runLarder([
    ...["mirror", "provider", "fixture/alpha", "--version", "1.0.0", "--platform", "linux_amd64"],
    ...["--data-dir", dataDir, ...extra],
  ]);
}

describe("larder config, every scalar key", () => {
  it.each([
    ["pullThrough", "false", "true", "true"],
    ["pullThroughTtlSeconds", "300", "60", "60"],
    ["requireSignatures", "false", "yes", "true"],
    ["concurrency", "4", "8", "8"],
    ["perHostConcurrency", "2", "1", "1"],
    ["catalogRefreshHours", "24", "0", "0"],
  ])("%s: default %s, set %s reads back %s, unset restores it", async (key, fallback, text, shown) => {
    const dataDir = await dirs.make();
    const listed = await runLarder(["config", "--data-dir", dataDir]);
    expectSuccess(listed);
    expect(listed.stdout).toMatch(new RegExp(`^${key} +${fallback} +default +\\S`, "m"));
    const set = await runLarder(["config", "set", key.toLowerCase(), text, "--data-dir", dataDir]);
    expectSuccess(set);
    expect(set.stdout).toBe(`${key} = ${shown}\n`);
    expect((await runLarder(["config", "get", key, "--data-dir", dataDir])).stdout).toBe(`${shown}\n`);
    const unset = await runLarder(["config", "unset", key, "--data-dir", dataDir]);
    expect(unset.stdout).toBe(`${key} = ${fallback} (default)\n`);
  });

  it.each([
    ["concurrency", "0", /concurrency: expected a whole number from 1 to 64/],
    ["perHostConcurrency", "lots", /perHostConcurrency: expected a whole number from 1 to 16/],
    ["pullThrough", "maybe", /pullThrough: expected true or false/],
    ["pullThroughTtlSeconds", "-3", /0 or more/],
  ])("refuses %s %s with exit 2 and one clear line", async (key, text, reason) => {
    const dataDir = await dirs.make();
    const result = await runLarder(["config", "set", key, text, "--data-dir", dataDir]);
    expect(result.code).toBe(2);
    expectOneLineFailure(result, reason);
  });
});

describe("larder upstream with a private registry", () => {
  it("adds a token from stdin, uses it for mirror without --upstream, and never prints it", async () => {
    const dataDir = await dirs.make();
    const added = await runWithStdin(
      ["upstream", "add", TF, "--url", guarded.url, "--token-stdin", "--data-dir", dataDir],
      `${TOKEN}\n`,
    );
    expectSuccess(added);
    expect(added.stdout).toBe(`Upstream ${TF} is reached at ${guarded.url} with a token.\n`);
    if (process.platform !== "win32") {
      expect((await stat(join(dataDir, "credentials.json"))).mode & 0o777).toBe(0o600);
    }
    expect(await readFile(join(dataDir, "credentials.json"), "utf8")).toContain(TOKEN);

    const list = await runLarder(["upstream", "list", "--data-dir", dataDir]);
    expectSuccess(list);
    expect(list.stdout).toMatch(new RegExp(`^registry\\.terraform\\.io +${guarded.url} +yes +setting$`, "m"));
    const json = await runLarder(["upstream", "list", "--json", "--data-dir", dataDir]);
    expect(JSON.parse(json.stdout)).toEqual([
      { host: TF, url: guarded.url, hasToken: true, source: "setting" },
    ]);

    const mirrored = await mirrorAlpha(dataDir);
    expectSuccess(mirrored);
    expect((await listStored(dataDir)).map((entry) => entry.type)).toEqual(["alpha"]);
    expect(guarded.authorized.length).toBe(3);
    expect(guarded.authorized.every((line) => line.endsWith(`Bearer ${TOKEN}`))).toBe(true);
    expect(guarded.authorized.some((line) => line.includes("/releases/"))).toBe(false);

    const config = await runLarder(["config", "--data-dir", dataDir]);
    for (const output of [added, list, json, mirrored, config]) {
      expect(output.stdout + output.stderr).not.toContain(TOKEN);
    }
  });

  it("a --upstream flag wins over the setting for that command", async () => {
    const dataDir = await dirs.make();
    expectSuccess(
      await runLarder(["upstream", "add", TF, "--url", "http://127.0.0.1:9", "--data-dir", dataDir]),
    );
    const flagged = await runLarder([
      "upstream",
      "list",
      "--upstream",
      `${TF}=${guarded.url}`,
      "--data-dir",
      dataDir,
    ]);
    expect(flagged.stdout).toMatch(new RegExp(`^registry\\.terraform\\.io +${guarded.url} +no +flag$`, "m"));
    // The private registry refuses without the token: the flag was used, not the setting's dead port.
    const mirrored = await mirrorAlpha(dataDir, ["--upstream", `${TF}=${guarded.url}`]);
    expect(mirrored.code).toBe(1);
    expect(mirrored.stderr).toMatch(/HTTP 401.*larder upstream add registry\.terraform\.io --token-stdin/);
  });

  it("removes a registry and its token, and refuses bad input with exit 2", async () => {
    const dataDir = await dirs.make();
    expectSuccess(await runWithStdin(["upstream", "add", TF, "--token-stdin", "--data-dir", dataDir], TOKEN));
    expectSuccess(await runLarder(["upstream", "remove", TF, "--data-dir", dataDir]));
    expect(JSON.parse(await readFile(join(dataDir, "credentials.json"), "utf8"))).toEqual({
      version: 1,
      tokens: {},
    });
    expect((await runLarder(["upstream", "list", "--data-dir", dataDir])).stdout).toMatch(
      /No upstream registries/,
    );

    const badUrl = await runLarder(["upstream", "add", TF, "--url", "ftp://x", "--data-dir", dataDir]);
    expect(badUrl.code).toBe(2);
    expectOneLineFailure(badUrl, /http: or https:/);
    const badToken = await runWithStdin(
      ["upstream", "add", TF, "--token-stdin", "--data-dir", dataDir],
      "a b\n",
    );
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).not.toContain("a b");
    const missing = await runLarder(["upstream", "remove", "nosuch.example", "--data-dir", dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No upstream registry nosuch\.example is configured/);
  });
});

describe("larder upstream test", () => {
  it("passes a private registry with its token, probing discovery and both APIs with it", async () => {
    const dataDir = await dirs.make();
    expectSuccess(
      await runWithStdin(
        ["upstream", "add", TF, "--url", guarded.url, "--token-stdin", "--data-dir", dataDir],
        TOKEN,
      ),
    );
    guarded.clearRequests();
    const tested = await runLarder(["upstream", "test", TF, "--data-dir", dataDir]);
    expectSuccess(tested);
    expect(tested.stdout).toMatch(
      new RegExp(`^${TF} at ${guarded.url}, with its token \\(\\d+ ms\\):$`, "m"),
    );
    expect(tested.stdout).toMatch(/^ {2}ok {3}discovery: offers providers\.v1 and modules\.v1$/m);
    expect(tested.stdout).toMatch(
      /^ {2}ok {3}providers\.v1: answers with the token \(HTTP 404 for a test name\)$/m,
    );
    expect(tested.stdout).toMatch(/^ {2}ok {3}modules\.v1: answers with the token/m);
    expect(tested.stdout + tested.stderr).not.toContain(TOKEN);
    // Discovery and the two probes, each with the token.
    expect(guarded.authorized).toHaveLength(3);
    expect(guarded.authorized.filter((line) => line.includes("/larder-connection-test/"))).toHaveLength(2);

    const json = await runLarder(["upstream", "test", TF, "--json", "--data-dir", dataDir]);
    expectSuccess(json);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; hasToken: boolean; steps: { ok: boolean }[] };
    expect(parsed).toMatchObject({ ok: true, hasToken: true });
    expect(parsed.steps.map((step) => step.ok)).toEqual([true, true, true]);
  });

  it("fails with exit 1 and the command that fixes it when the token is missing", async () => {
    const dataDir = await dirs.make();
    const tested = await runLarder([
      "upstream",
      "test",
      TF,
      "--upstream",
      `${TF}=${guarded.url}`,
      "--data-dir",
      dataDir,
    ]);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(/^ {2}FAIL discovery: .*HTTP 401/m);
    expectOneLineFailure(
      tested,
      /cannot be mirrored from as configured: .*larder upstream add registry\.terraform\.io --token-stdin/,
    );
  });

  it("fails with exit 1 naming the address when nothing answers there", async () => {
    const dataDir = await dirs.make();
    const tested = await runLarder([
      ...["upstream", "test", TF, "--upstream", `${TF}=http://127.0.0.1:9`, "--data-dir", dataDir],
    ]);
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(
      /^ {2}FAIL discovery: Could not fetch the service discovery document .*127\.0\.0\.1:9/m,
    );
  });
});
