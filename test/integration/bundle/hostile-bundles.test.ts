import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { expectOneLineFailure } from "../cli/cli-support.js";
import {
  expectNothingImported,
  larderOk,
  rewriteBundle,
  stockSmallMirror,
  type TarEntry,
} from "./bundle-support.js";

const ZIP = "providers/registry.terraform.io/fixture/alpha/terraform-provider-alpha_1.1.0_linux_amd64.zip";

function editManifest(entries: TarEntry[], edit: (manifest: Record<string, unknown>) => void): TarEntry[] {
  return entries.map((entry) => {
    if (entry.name !== "manifest.json") return entry;
    const manifest = JSON.parse(entry.data.toString("utf8")) as Record<string, unknown>;
    edit(manifest);
    return { ...entry, data: Buffer.from(JSON.stringify(manifest, null, 2)) };
  });
}

function file(name: string, text = "hostile\n"): TarEntry {
  return { name, type: "file", data: Buffer.from(text) };
}

// Each test runs the real CLI several times; a loaded 2-core machine needs more than the default minute.
describe("larder bundle import refuses hostile bundles before writing anything", { timeout: 180_000 }, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let good: string;
  let count = 0;

  beforeAll(async () => {
    temp = await makeTempDir("bundle-hostile");
    fixture = await startFixtureUpstream();
    const sending = join(temp.path, "sending");
    await stockSmallMirror(fixture, sending);
    good = join(temp.path, "good.tar");
    await larderOk(["bundle", "export", good, "--data-dir", sending]);
  }, 180_000);

  afterAll(async () => {
    await fixture?.stop();
    await temp.remove();
  });

  /** Crafts a variant of the good bundle, imports it into an empty data dir and returns the one-line refusal. */
  async function refuse(edit: (entries: TarEntry[]) => TarEntry[], ...patterns: RegExp[]): Promise<void> {
    count++;
    const hostile = join(temp.path, `hostile-${count}.tar`);
    await rewriteBundle(good, hostile, edit);
    const dataDir = join(temp.path, `receiving-${count}`);
    const imported = await runLarder([
      "bundle",
      "import",
      hostile,
      "--allow-unsigned",
      "--data-dir",
      dataDir,
    ]);
    expectOneLineFailure(imported, /refusing the bundle/, /Nothing was written/, ...patterns);
    await expectNothingImported(dataDir);
    const verified = await runLarder(["bundle", "verify", hostile]);
    expectOneLineFailure(verified, /refusing the bundle/, ...patterns);
  }

  it("accepts the untouched bundle (the baseline the hostile ones are made from)", async () => {
    const dataDir = join(temp.path, "baseline");
    await larderOk(["bundle", "import", good, "--allow-unsigned", "--data-dir", dataDir]);
  });

  it("refuses a path that climbs out with ..", async () => {
    await refuse(
      (entries) => [...entries, file("providers/../../escape.txt")],
      /escape\.txt/,
      /"\.\." segment/,
    );
  });

  it("refuses an absolute path", async () => {
    await refuse((entries) => [...entries, file("/tmp/larder-escape.txt")], /absolute path/);
  });

  it("refuses a symlink", async () => {
    await refuse(
      (entries) => [
        ...entries,
        { name: "providers/link", type: "symlink", data: Buffer.alloc(0), linkname: "/etc" },
      ],
      /providers\/link/,
      /is a symlink; bundles hold only regular files/,
    );
  });

  it("refuses a directory entry", async () => {
    await refuse(
      (entries) => [...entries, { name: "providers/extra/", type: "directory", data: Buffer.alloc(0) }],
      /is a directory/,
    );
  });

  it("refuses an entry that appears twice", async () => {
    await refuse(
      (entries) => {
        const zip = entries.find((entry) => entry.name === ZIP);
        if (!zip) throw new Error("the good bundle has no linux zip");
        return [...entries, zip];
      },
      new RegExp(`${ZIP.replaceAll(".", "\\.")}.*appears twice`),
    );
  });

  it("refuses an entry the manifest does not list", async () => {
    await refuse(
      (entries) => [...entries, file("providers/extra.txt")],
      /providers\/extra\.txt/,
      /not listed in the manifest/,
    );
  });

  it("refuses an entry whose size disagrees with the manifest", async () => {
    await refuse(
      (entries) =>
        editManifest(entries, (manifest) => {
          const listed = (manifest.entries as { path: string; size: number }[]).find(
            (entry) => entry.path === ZIP,
          );
          if (listed) listed.size += 1;
        }),
      /bytes in the tar, but the manifest says/,
    );
  });

  it("refuses a manifest from a newer format version, naming the upgrade", async () => {
    await refuse(
      (entries) =>
        editManifest(entries, (manifest) => {
          manifest.formatVersion = 3;
        }),
      /format version 3/,
      /Upgrade Larder/,
    );
  });

  it("refuses a bundle whose manifest is not the first entry", async () => {
    await refuse((entries) => [...entries.slice(1), ...entries.slice(0, 1)], /must be first/);
  });

  it("refuses a manifest that lists a path outside the bundle", async () => {
    await refuse(
      (entries) =>
        editManifest(entries, (manifest) => {
          const listed = (manifest.entries as { path: string }[]).find((entry) => entry.path === "README.md");
          if (listed) listed.path = "../README.md";
        }),
      /unsafe path/,
    );
  });

  it("refuses a manifest that fails the schema", async () => {
    await refuse(
      (entries) =>
        editManifest(entries, (manifest) => {
          manifest.id = "not-a-uuid";
        }),
      /schema check at id/,
    );
  });

  it.each([
    ["namespace", "Fixture", /not a canonical provider namespace/],
    ["os", "Linux", /not a lower-case platform word/],
    ["version", "v1.0", /not a semantic version/],
    ["host", "REGISTRY.terraform.io", /not a canonical registry host name/],
  ])(
    "refuses a provider package whose %s is %s (it would be stored but never served)",
    async (field, value, reason) => {
      await refuse(
        (entries) =>
          editManifest(entries, (manifest) => {
            const pkg = (manifest.entries as Record<string, unknown>[]).find(
              (entry) => entry.kind === "provider-package",
            );
            if (pkg) pkg[field] = value;
          }),
        /schema check/,
        reason,
      );
    },
  );

  it("refuses a file that is not a tar at all", async () => {
    const notTar = join(temp.path, "not-a-tar.tar");
    await writeFile(notTar, "this is not a tar archive\n".repeat(40));
    const dataDir = join(temp.path, "not-a-tar");
    const result = await runLarder(["bundle", "import", notTar, "--allow-unsigned", "--data-dir", dataDir]);
    expectOneLineFailure(result, /not a readable tar|no manifest\.json/);
    await expectNothingImported(dataDir);
  });
});
