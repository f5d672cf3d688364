import { afterEach, describe, expect, it } from "vitest";
import { runLarder, startLarderServe } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

describe("larder serve modes", () => {
  let temp: TempDir | undefined;
  afterEach(async () => {
    await temp?.remove();
  });

  it("says which mode it serves in: stored only by default, offline or pull-through when asked", async () => {
    temp = await makeTempDir("cli-serve-modes");
    const stored = await startLarderServe(["--data-dir", temp.path, "--port", "0", "--https-port", "0"]);
    expect((await stored.stop()).stdout).toMatch(/Mode:\s+stored only \(misses are not fetched/);
    const offline = await startLarderServe([
      ...["--data-dir", temp.path, "--port", "0", "--https-port", "0", "--offline"],
    ]);
    const offlineOut = await offline.stop();
    expect(offlineOut.stdout).toMatch(/Mode:\s+offline \(.*no upstream is contacted, the catalog included/);
    const pull = await startLarderServe([
      "--data-dir",
      temp.path,
      "--port",
      "0",
      "--https-port",
      "0",
      "--pull-through",
      "--cache-ttl",
      "30",
    ]);
    const pullOut = await pull.stop();
    expect(pullOut.stdout).toMatch(/Mode:\s+pull-through .*cached 30s/);
  });

  it("refuses contradictory or invalid mode flags with a one-line reason", async () => {
    temp = await makeTempDir("cli-serve-modes");
    const both = await runLarder(["serve", "--data-dir", temp.path, "--pull-through", "--offline"]);
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe(
      "larder: --pull-through and --offline contradict each other; choose one.",
    );
    const ttl = await runLarder(["serve", "--data-dir", temp.path, "--pull-through", "--cache-ttl", "soon"]);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toMatch(/Invalid --cache-ttl "soon"/);
  });
});
