import { spawn } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { cliEnv, LARDER_BIN, runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { ALPHA, archivePath, packageOf } from "./download-support.js";

/** Bytes in `tmp/*.part` files (the resumable partial downloads). */
async function partialBytes(dataDir: string): Promise<number> {
  const names = (await readdir(join(dataDir, "tmp")).catch(() => [])).filter((name) =>
    name.endsWith(".part"),
  );
  const sizes = await Promise.all(names.map(async (name) => (await stat(join(dataDir, "tmp", name))).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

describe("kill -9 of larder mirror in the middle of a download", () => {
  let fixture: FixtureUpstream;
  let temp: TempDir;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
    temp = await makeTempDir("downloads-crash");
  });
  afterAll(async () => {
    await fixture.stop();
    await temp.remove();
  });

  it("leaves an intact database with nothing half-visible, and the next run resumes from the kept bytes", async () => {
    const pkg = packageOf(fixture);
    const path = archivePath(pkg);
    const args = [
      "mirror",
      "provider",
      `${ALPHA.namespace}/${ALPHA.type}`,
      "--version",
      ALPHA.version,
      "--platform",
      ALPHA.platform,
      "--data-dir",
      temp.path,
      "--upstream",
      `registry.terraform.io=${fixture.url}`,
    ];
    // Slow enough that the process is certainly mid-transfer when it is killed.
    fixture.slowDown(path, 40);
    const child = spawn(process.execPath, [LARDER_BIN, ...args], { env: cliEnv(), stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => {
        resolve(signal);
      }),
    );
    const deadline = Date.now() + 20_000;
    while ((await partialBytes(temp.path)) < 40 && Date.now() < deadline) await sleep(50);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const kept = await partialBytes(temp.path);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(pkg.zip.length);

    // The database is intact and shows nothing of the interrupted package; no archive blob exists.
    const db = new Database(join(temp.path, "larder.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.prepare("SELECT count(*) AS n FROM provider_packages").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(
      await stat(join(temp.path, "blobs", "sha256", pkg.sha256.slice(0, 2), pkg.sha256)).catch(
        () => undefined,
      ),
    ).toBeUndefined();

    // Restart: the archive continues from the bytes on disk and ends verified.
    fixture.slowDown(path, 0);
    fixture.clearRequests();
    const rerun = await runLarder(args);
    expect(rerun.code, rerun.stderr).toBe(0);
    const ranges = fixture.requests.filter((line) => line.startsWith(`GET ${path}`));
    expect(ranges).toHaveLength(1);
    const resumedFrom = Number(/range=bytes=(\d+)-/.exec(ranges[0] ?? "")?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(kept);
    const list = await runLarder(["list", "--json", "--data-dir", temp.path]);
    expect(
      (JSON.parse(list.stdout) as { providers: { version: string }[] }).providers.map((p) => p.version),
    ).toEqual([ALPHA.version]);
  });
});
