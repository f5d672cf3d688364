import { userInfo } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, TempDirs, upstreamArgs } from "./cli-support.js";

let fixture: FixtureUpstream;
const dirs = new TempDirs("cli-audit");

beforeAll(async () => {
  fixture = await startFixtureUpstream();
});

afterAll(async () => {
  await fixture.stop();
});

afterEach(async () => {
  await dirs.removeAll();
});

/** The exact shape `larder audit --json` prints; `.strict()` so the API's consumers can rely on it. */
const auditJson = z
  .object({
    entries: z.array(
      z
        .object({
          id: z.number().int().positive(),
          at: z.iso.datetime(),
          actor: z.enum(["cli", "ui", "api", "pull-through"]),
          peer: z.string().nullable(),
          userAgent: z.string().nullable(),
          action: z.string(),
          target: z.string(),
          outcome: z.enum(["ok", "failed"]),
          detail: z.string().nullable(),
        })
        .strict(),
    ),
    nextBefore: z.number().int().positive().nullable(),
  })
  .strict();

async function audit(dataDir: string, ...args: string[]): Promise<z.infer<typeof auditJson>> {
  const result = await runLarder(["audit", "--json", "--data-dir", dataDir, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return auditJson.parse(JSON.parse(result.stdout));
}

describe("larder audit", () => {
  it("records a mirror, a setting and a failed mirror as the CLI, newest first, with outcome and detail", async () => {
    const dataDir = await dirs.make();
    const mirrored = await runLarder([
      "mirror",
      "provider",
      "fixture/alpha",
      "--version",
      "~> 1.0",
      "--platform",
      "linux_amd64",
      "--data-dir",
      dataDir,
      ...upstreamArgs(fixture),
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    const set = await runLarder(["config", "set", "clients", "terraform", "--data-dir", dataDir]);
    expect(set.code, set.stderr).toBe(0);
    const failed = await runLarder([
      "mirror",
      "provider",
      "fixture/does-not-exist",
      "--data-dir",
      dataDir,
      ...upstreamArgs(fixture),
    ]);
    const reason = expectOneLineFailure(failed).slice("larder: ".length);

    const { entries, nextBefore } = await audit(dataDir);
    expect(nextBefore).toBeNull();
    const cli = {
      actor: "cli",
      peer: userInfo().username,
      userAgent: expect.stringMatching(/^larder-cli\/\d/) as unknown,
    };
    expect(entries).toEqual([
      expect.objectContaining({
        ...cli,
        action: "mirror.provider",
        target: "fixture/does-not-exist newest",
        outcome: "failed",
        detail: reason,
      }),
      expect.objectContaining({
        ...cli,
        action: "config.set",
        target: "clients",
        outcome: "ok",
        detail: "clients = terraform",
      }),
      expect.objectContaining({
        ...cli,
        action: "mirror.provider",
        target: "fixture/alpha ~> 1.0",
        outcome: "ok",
        detail: expect.stringMatching(/^job \d+: stored 1, already present 0$/) as unknown,
      }),
    ]);
  });

  it("records job control and bundle export, and filters by action and actor", async () => {
    const dataDir = await dirs.make();
    const bundle = `${dataDir}/out.tar`;
    // An empty mirror has nothing to export: the refusal is recorded as failed, then a real export as ok.
    expectOneLineFailure(
      await runLarder(["bundle", "export", bundle, "--data-dir", dataDir]),
      /Nothing to export/,
    );
    const mirrored = await runLarder([
      "mirror",
      "provider",
      "fixture/alpha",
      "--platform",
      "linux_amd64",
      "--data-dir",
      dataDir,
      ...upstreamArgs(fixture),
    ]);
    expect(mirrored.code, mirrored.stderr).toBe(0);
    const exported = await runLarder(["bundle", "export", bundle, "--data-dir", dataDir]);
    expect(exported.code, exported.stderr).toBe(0);
    // Job 99 does not exist: the refusal is recorded too.
    expect((await runLarder(["jobs", "cancel", "99", "--data-dir", dataDir])).code).not.toBe(0);
    const exports = await audit(dataDir, "--action", "bundle.export");
    expect(exports.entries).toEqual([
      expect.objectContaining({
        target: bundle,
        outcome: "ok",
        detail: expect.stringMatching(/^bundle .*unsigned$/) as unknown,
      }),
      expect.objectContaining({
        target: bundle,
        outcome: "failed",
        detail: expect.stringMatching(/^Nothing to export/) as unknown,
      }),
    ]);
    const cancels = await audit(dataDir, "--action", "job.cancel");
    expect(cancels.entries).toEqual([expect.objectContaining({ target: "job 99", outcome: "failed" })]);
    expect((await audit(dataDir, "--actor", "pull-through")).entries).toEqual([]);
  });

  it("pages with --limit and --before, printing a hint for the next page in the table", async () => {
    const dataDir = await dirs.make();
    for (const value of ["tofu", "terraform", "terraform,tofu"]) {
      expect((await runLarder(["config", "set", "clients", value, "--data-dir", dataDir])).code).toBe(0);
    }
    const first = await audit(dataDir, "--limit", "2");
    expect(first.entries.map((entry) => entry.detail)).toEqual([
      "clients = terraform,tofu",
      "clients = terraform",
    ]);
    expect(first.nextBefore).toBe(2);
    const rest = await audit(dataDir, "--limit", "2", "--before", "2");
    expect(rest.entries.map((entry) => entry.detail)).toEqual(["clients = tofu"]);
    expect(rest.nextBefore).toBeNull();

    const shown = await runLarder(["audit", "--limit", "2", "--data-dir", dataDir]);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TIME\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME\s+DETAIL$/);
    expect(lines[1]).toMatch(
      /^3\s+\S+Z\s+cli \(.+\)\s+config\.set\s+clients\s+ok\s+clients = terraform,tofu$/,
    );
    expect(lines.at(-1)).toBe("More: larder audit --before 2");
  });

  it("refuses a bad --actor or --limit", async () => {
    const dataDir = await dirs.make();
    expectOneLineFailure(
      await runLarder(["audit", "--actor", "robot", "--data-dir", dataDir]),
      /--actor "robot"/,
    );
    expectOneLineFailure(await runLarder(["audit", "--limit", "0", "--data-dir", dataDir]), /limit 0/);
  });
});
