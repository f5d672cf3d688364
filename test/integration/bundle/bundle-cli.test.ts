import { mkdir, open, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { expectOneLineFailure, storedSummary } from "../cli/cli-support.js";
import { fixtureUpstreams, flipByte, larderOk, readTar, stockSmallMirror } from "./bundle-support.js";

interface HistoryJson {
  bundles: {
    id: string;
    direction: string;
    size: number;
    providerPackages: number;
    moduleVersions: number;
    entries: number;
  }[];
}

async function firstBytes(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(2);
    await handle.read(buffer, 0, 2, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

async function manifestKinds(file: string): Promise<string[]> {
  const manifest = (await readTar(file)).find((entry) => entry.name === "manifest.json");
  const parsed = JSON.parse(manifest?.data.toString("utf8") ?? "{}") as {
    entries: { kind: string; path: string }[];
  };
  return parsed.entries
    .filter((entry) => entry.kind === "provider-package" || entry.kind === "module-archive")
    .map((entry) => entry.path)
    .sort();
}

// Each test runs the real CLI several times; a loaded 2-core machine needs more than the default minute.
describe("larder bundle export, import and list", { timeout: 180_000 }, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let sending: string;

  beforeAll(async () => {
    temp = await makeTempDir("bundle-cli");
    fixture = await startFixtureUpstream();
    sending = join(temp.path, "sending");
    await stockSmallMirror(fixture, sending);
  }, 180_000);

  afterAll(async () => {
    await fixture?.stop();
    await temp.remove();
  });

  it("prints the exact size before writing, records the export, and a second import is a no-op", async () => {
    const bundle = join(temp.path, "all.tar");
    const output = await larderOk(["bundle", "export", bundle, "--data-dir", sending]);
    const planned = Number(/Size: (\d+) bytes/.exec(output)?.[1]);
    expect(planned).toBe((await stat(bundle)).size);
    expect(output).toMatch(/2 provider package\(s\), 1 module version\(s\)/);
    const sent = JSON.parse(
      await larderOk(["bundle", "list", "--json", "--data-dir", sending]),
    ) as HistoryJson;
    expect(sent.bundles).toHaveLength(1);
    expect(sent.bundles[0]).toMatchObject({
      direction: "export",
      size: planned,
      providerPackages: 2,
      moduleVersions: 1,
    });

    const receiving = join(temp.path, "receiving");
    await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    const again = await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    expect(again).toMatch(/was imported before; nothing to do/);
    const received = JSON.parse(
      await larderOk(["bundle", "list", "--json", "--data-dir", receiving]),
    ) as HistoryJson;
    expect(received.bundles.map((record) => [record.id, record.direction])).toEqual([
      [sent.bundles[0]?.id, "import"],
    ]);
    expect(await storedSummary(receiving)).toEqual(await storedSummary(sending));
    expect(await larderOk(["bundle", "list", "--data-dir", receiving])).toMatch(
      /import {2}\S+ {2}2 provider\(s\), 1 module\(s\)/,
    );
  });

  it("gzip-compresses a .tar.gz bundle that verifies and imports like a plain one", async () => {
    const bundle = join(temp.path, "all.tar.gz");
    const output = await larderOk(["bundle", "export", bundle, "--data-dir", sending]);
    expect(output).toMatch(/as an uncompressed tar, before gzip/);
    expect([...(await firstBytes(bundle))]).toEqual([0x1f, 0x8b]);
    await larderOk(["bundle", "verify", bundle]);
    const receiving = join(temp.path, "receiving-gz");
    await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    expect(await storedSummary(receiving)).toEqual(await storedSummary(sending));
  });

  it("exports only the selected providers, platforms, modules and versions", async () => {
    const providerOnly = join(temp.path, "alpha-linux.tar");
    await larderOk([
      "bundle",
      "export",
      providerOnly,
      "--provider",
      "fixture/alpha",
      "--platform",
      "linux_amd64",
      "--data-dir",
      sending,
    ]);
    expect(await manifestKinds(providerOnly)).toEqual([
      "providers/registry.terraform.io/fixture/alpha/terraform-provider-alpha_1.1.0_linux_amd64.zip",
    ]);
    const moduleOnly = join(temp.path, "flat.tar");
    await larderOk([
      "bundle",
      "export",
      moduleOnly,
      "--module",
      "registry.opentofu.org/fixture/flat/fixture",
      "--data-dir",
      sending,
    ]);
    expect(await manifestKinds(moduleOnly)).toEqual([
      "modules/registry.opentofu.org/fixture/flat/fixture/1.0.0.tar.gz",
    ]);
    const none = await runLarder([
      "bundle",
      "export",
      join(temp.path, "none.tar"),
      "--version",
      ">= 9",
      "--data-dir",
      sending,
    ]);
    expectOneLineFailure(none, /Nothing to export: the mirror holds nothing that matches the selection/);
  });

  it("refuses to export from a damaged store, leaving no bundle behind", async () => {
    if (!fixture) throw new Error("no fixture");
    const damaged = join(temp.path, "damaged");
    await larderOk([
      "mirror",
      "provider",
      "fixture/alpha",
      "--version",
      "1.1.0",
      "--platform",
      "linux_amd64",
      "--data-dir",
      damaged,
      ...fixtureUpstreams(fixture),
    ]);
    const sha = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").sha256;
    const blob = join(damaged, "blobs", "sha256", sha.slice(0, 2), sha);
    await writeFile(blob, flipByte(await readFile(blob)));
    const out = join(temp.path, "out");
    await mkdir(out);
    const result = await runLarder(["bundle", "export", join(out, "damaged.tar"), "--data-dir", damaged]);
    expectOneLineFailure(result, new RegExp(`stored blob ${sha} .* is damaged`), /no bundle was written/);
    expect(await readdir(out)).toEqual([]);
  });

  it("names what is wrong with --since and with a bundle that does not exist", async () => {
    const since = await runLarder([
      "bundle",
      "export",
      join(temp.path, "x.tar"),
      "--since",
      "no-such-bundle",
      "--data-dir",
      sending,
    ]);
    expectOneLineFailure(
      since,
      /--since no-such-bundle: there is no such bundle file, and no bundle with that id/,
    );
    const missing = await runLarder(["bundle", "verify", join(temp.path, "missing.tar")]);
    expectOneLineFailure(missing, /Cannot read the bundle .*missing\.tar/);
  });

  it("refuses the whole import when this mirror holds a package with other bytes, adding nothing", async () => {
    const bundle = join(temp.path, "conflict.tar");
    await larderOk(["bundle", "export", bundle, "--data-dir", sending]);
    const receiving = join(temp.path, "conflict-receiving");
    await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    const before = await storedSummary(receiving);
    // This side's copy of one package differs from the sender's (a re-released version, say): point its row at
    // another stored blob, and forget the import so the bundle is taken in again.
    const db = new Database(join(receiving, "larder.db"));
    try {
      db.prepare(
        "UPDATE provider_packages SET archive_blob = (SELECT shasums_blob FROM provider_releases LIMIT 1) WHERE id = (SELECT MIN(id) FROM provider_packages)",
      ).run();
      db.prepare("DELETE FROM bundles").run();
      db.prepare("DELETE FROM module_versions").run();
    } finally {
      db.close();
    }
    const refused = await runLarder([
      "bundle",
      "import",
      bundle,
      "--allow-unsigned",
      "--data-dir",
      receiving,
    ]);
    expectOneLineFailure(
      refused,
      /this mirror already holds .* with sha256 .* but the bundle's has/,
      /nothing was imported/,
    );
    // The modules the refused import would have added back are still absent: all or nothing.
    const listed = JSON.parse(await larderOk(["list", "--json", "--data-dir", receiving])) as {
      modules: unknown[];
    };
    expect(listed.modules).toEqual([]);
    expect(await storedSummary(receiving)).toEqual(before);
  });
});
