import { readdir, utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, type CliResult } from "../../helpers/larder-cli.js";
import { moduleUpstreamArgs } from "../modules/module-support.js";
import { expectOneLineFailure, listStored, TempDirs } from "./cli-support.js";

// larder delete / gc / du through the built CLI, as a user runs them.

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";

let fixture: FixtureUpstream;
let both: string;
let modules: string;
const dirs = new TempDirs("cli-storage");

function ok(result: CliResult): string {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Makes every blob look an hour old, so gc decides on references alone (no ingest runs in these tests). */
async function ageBlobs(dataDir: string): Promise<void> {
  const hourAgo = new Date(Date.now() - 3600_000);
  const root = join(dataDir, "blobs");
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await utimes(join(entry.parentPath, entry.name), hourAgo, hourAgo);
  }
}

const usageSchema = z.object({
  totalBytes: z.number(),
  unreferencedBytes: z.number(),
  onDiskBytes: z.number(),
  hosts: z.array(
    z.object({
      host: z.string(),
      bytes: z.number(),
      providers: z.array(z.object({ address: z.string(), bytes: z.number() })),
      modules: z.array(z.object({ address: z.string(), bytes: z.number() })),
    }),
  ),
});

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  both = await dirs.make();
  // Both clients, each host in its own registry's shapes: one zip, stored once, referenced by two hosts.
  ok(
    await runLarder(
      [
        ...[
          "mirror",
          "provider",
          "fixture/alpha",
          "--version",
          "1.1.0",
          "--version",
          "2.0.0",
          "--all-versions",
        ],
        ...["--platform", "linux_amd64", "--platform", "darwin_arm64", "--data-dir", both],
        ...["--upstream", `${TF}=${fixture.urlFor("terraform-registry")}`],
        ...["--upstream", `${TOFU}=${fixture.urlFor("opentofu-registry")}`],
      ],
      { LARDER_CLIENTS: "" },
    ),
  );
  modules = await dirs.make();
  ok(
    await runLarder([
      ...["mirror", "module", "fixture/flat/fixture", "--version", "1.0.0", "--version", "1.1.0"],
      ...["--all-versions", "--no-dependencies", "--data-dir", modules, ...moduleUpstreamArgs(fixture)],
    ]),
  );
});

afterAll(async () => {
  await fixture.stop();
  await dirs.removeAll();
});

describe("larder delete, du and gc", () => {
  it("a host-less provider address deletes the platform under every host that stores it, and says which", async () => {
    const out = ok(
      await runLarder([
        "delete",
        "fixture/alpha",
        "--version",
        "1.1.0",
        "--platform",
        "linux_amd64",
        "--data-dir",
        both,
      ]),
    );
    expect(out.trimEnd().split("\n")).toEqual([
      `Deleted provider ${TF}/fixture/alpha 1.1.0 linux_amd64 (1 package)`,
      `Deleted provider ${TOFU}/fixture/alpha 1.1.0 linux_amd64 (1 package)`,
      "Run larder gc to free the disk space.",
    ]);
    const stored = (await listStored(both)).filter((entry) => entry.version === "1.1.0");
    expect(stored.map((entry) => [entry.host, entry.platforms])).toEqual([
      [TOFU, ["darwin_arm64"]],
      [TF, ["darwin_arm64"]],
    ]);
  });

  it("du reports per host and provider, and the shared zip as what gc would free", async () => {
    await ageBlobs(both);
    const zip = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip.length;
    const usage = usageSchema.parse(JSON.parse(ok(await runLarder(["du", "--json", "--data-dir", both]))));
    expect(usage.unreferencedBytes).toBe(zip);
    expect(usage.onDiskBytes).toBe(usage.totalBytes + zip);
    expect(usage.hosts.map((host) => host.providers.map((entry) => entry.address))).toEqual([
      [`${TOFU}/fixture/alpha`],
      [`${TF}/fixture/alpha`],
    ]);
    const text = ok(await runLarder(["du", "--data-dir", both]));
    expect(text).toMatch(new RegExp(`^${TOFU.replaceAll(".", "\\.")}  \\d`, "m"));
    expect(text).toMatch(/^ {2}ADDRESS\s+KIND\s+SIZE$/m);
    expect(text).toMatch(/^ {2}fixture\/alpha\s+provider\s+\d/m);
    expect(text).toContain(`larder gc would free: ${zip} B`);
  });

  it("gc --dry-run says what gc then removes", async () => {
    await ageBlobs(both);
    const zip = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip.length;
    expect(ok(await runLarder(["gc", "--dry-run", "--data-dir", both]))).toBe(
      `Would remove 1 blob(s), ${zip} B\n`,
    );
    expect(ok(await runLarder(["gc", "--data-dir", both]))).toBe(`Removed 1 blob(s), freed ${zip} B\n`);
    expect(JSON.parse(ok(await runLarder(["gc", "--json", "--data-dir", both])))).toEqual({
      dryRun: false,
      blobs: 0,
      bytes: 0,
    });
    // The earlier delete and both real runs are audited as the CLI; the dry run changed nothing.
    const audit = JSON.parse(ok(await runLarder(["audit", "--json", "--data-dir", both]))) as {
      entries: { action: string; actor: string; detail: string | null }[];
    };
    expect(audit.entries.map((entry) => entry.action).slice(0, 3)).toEqual(["gc", "gc", "inventory.delete"]);
    expect(audit.entries[1]?.detail).toBe(`1 blob(s), ${zip} bytes freed`);
  });

  it("--all-versions with a host deletes every version there only; --json lists them", async () => {
    const out = ok(
      await runLarder(["delete", `${TF}/fixture/alpha`, "--all-versions", "--json", "--data-dir", both]),
    );
    expect(JSON.parse(out)).toEqual({
      deleted: [
        { kind: "provider", address: `${TF}/fixture/alpha`, version: "2.0.0", count: 2 },
        { kind: "provider", address: `${TF}/fixture/alpha`, version: "1.1.0", count: 1 },
      ],
    });
    expect(new Set((await listStored(both)).map((entry) => entry.host))).toEqual(new Set([TOFU]));
  });

  it("deletes a module version", async () => {
    const out = ok(
      await runLarder(["delete", "fixture/flat/fixture", "--version", "1.0.0", "--data-dir", modules]),
    );
    expect(out).toBe(
      `Deleted module ${TF}/fixture/flat/fixture 1.0.0 (1 module version)\nRun larder gc to free the disk space.\n`,
    );
    const list = JSON.parse(ok(await runLarder(["list", "--json", "--data-dir", modules]))) as {
      modules: { version: string }[];
    };
    expect(list.modules.map((entry) => entry.version)).toEqual(["1.1.0"]);
  });
});

describe("larder delete refusals", () => {
  it("needs exactly one of --version and --all-versions (exit 2, one line)", async () => {
    const empty = await dirs.make();
    const none = await runLarder(["delete", "fixture/alpha", "--data-dir", empty]);
    expectOneLineFailure(none, /needs exactly one of --version VERSION or --all-versions/);
    expect(none.code).toBe(2);
    const twice = await runLarder([
      "delete",
      "fixture/alpha",
      "--version",
      "1.0.0",
      "--all-versions",
      "--data-dir",
      empty,
    ]);
    expect(twice.code).toBe(2);
  });

  it("refuses --platform for a module and a malformed address (exit 2)", async () => {
    const empty = await dirs.make();
    const platform = await runLarder([
      "delete",
      "fixture/flat/fixture",
      "--version",
      "1.0.0",
      "--platform",
      "linux_amd64",
      "--data-dir",
      empty,
    ]);
    expectOneLineFailure(platform, /--platform applies to providers only/);
    expect(platform.code).toBe(2);
    const address = await runLarder(["delete", "a/b/c/d/e", "--all-versions", "--data-dir", empty]);
    expectOneLineFailure(address, /Invalid .*address "a\/b\/c\/d\/e"/);
    expect(address.code).toBe(2);
  });

  it("an unknown version fails naming what is stored and larder list", async () => {
    const result = await runLarder(["delete", "fixture/alpha", "--version", "9.9.9", "--data-dir", both]);
    const reason = expectOneLineFailure(result, /fixture\/alpha 9\.9\.9 is not stored/, /larder list/);
    expect(reason).toContain(`${TOFU}: 2.0.0, 1.1.0`);
    expect(result.code).toBe(1);
    const hosted = await runLarder([
      "delete",
      `${TOFU}/fixture/alpha`,
      "--version",
      "9.9.9",
      "--data-dir",
      both,
    ]);
    expectOneLineFailure(hosted, /stored versions: 1\.1\.0, 2\.0\.0 \(see larder list\)/);
  });
});
