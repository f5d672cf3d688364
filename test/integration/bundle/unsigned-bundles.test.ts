// A keyless registry.opentofu.org provider crosses the air gap marked unsigned, and nothing else may pose as one.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  defaultFixtureProviders,
  keylessFixtureProvider,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { listStored } from "../cli/cli-support.js";
import { larderOk, readTar, rewriteBundle } from "./bundle-support.js";

interface ManifestJson {
  formatVersion: number;
  entries: { kind: string; host?: string; verification?: { status: string } }[];
}

describe("bundles with unsigned (keyless) providers", { timeout: 120_000 }, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let bundle: string;

  beforeAll(async () => {
    temp = await makeTempDir("bundle-unsigned");
    fixture = await startFixtureUpstream({
      providers: [...defaultFixtureProviders, keylessFixtureProvider],
    });
    const sending = join(temp.path, "sending");
    await larderOk([
      ...["mirror", "provider", "registry.opentofu.org/fixture/keyless", "--platform", "linux_amd64"],
      ...[
        "--data-dir",
        sending,
        "--upstream",
        `registry.opentofu.org=${fixture.urlFor("opentofu-registry")}`,
      ],
    ]);
    bundle = join(temp.path, "keyless.tar");
    await larderOk(["bundle", "export", bundle, "--data-dir", sending]);
  });

  afterAll(async () => {
    await fixture?.stop();
    await temp.remove();
  });

  it("writes format 2 and marks the package unsigned in the manifest", async () => {
    const manifest = (await readTar(bundle)).find((entry) => entry.name === "manifest.json");
    const parsed = JSON.parse(manifest?.data.toString("utf8") ?? "{}") as ManifestJson;
    expect(parsed.formatVersion).toBe(2);
    const pkg = parsed.entries.find((entry) => entry.kind === "provider-package");
    expect(pkg?.verification?.status).toBe("unsigned");
  });

  it("verify reports it UNSIGNED, and import keeps the mark", async () => {
    const report = await larderOk(["bundle", "verify", bundle]);
    expect(report).toMatch(/UNSIGNED \(no registry keys; checksums only\)/);
    const receiving = join(temp.path, "receiving");
    await larderOk(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", receiving]);
    expect(await listStored(receiving)).toMatchObject([
      { host: "registry.opentofu.org", type: "keyless", signed: false },
    ]);
  });

  it("refuses a bundle that moved the unsigned package to another host", async () => {
    const moved = join(temp.path, "moved.tar");
    await rewriteBundle(bundle, moved, (entries) =>
      entries.map((entry) => {
        if (entry.name !== "manifest.json") return entry;
        const text = entry.data
          .toString("utf8")
          .replaceAll('"registry.opentofu.org"', '"registry.terraform.io"');
        return { ...entry, data: Buffer.from(text) };
      }),
    );
    const result = await runLarder(["bundle", "verify", moved]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      /only keyless registry\.opentofu\.org providers may be unsigned/,
    );
  });
});
