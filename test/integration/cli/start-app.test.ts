// `npm start` where no window can open still does the main job: it says why and serves the same mirror headless,
// as `larder serve` would. Tested here for the missing display and LARDER_HEADLESS; the other reasons (no Electron
// binary, no Electron build of better-sqlite3) take the same path but need a display to be reached.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliEnv } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir("start-app");
});
afterEach(async () => {
  await temp.remove();
});

/** Runs scripts/start-app.ts until it prints its HTTP URL, then stops it; what it printed and its exit code. */
function startApp(
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const base = cliEnv({ LARDER_DATA_DIR: join(temp.path, "data"), ...env });
  delete base.DISPLAY;
  delete base.WAYLAND_DISPLAY;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "scripts", "start-app.ts"), "--port", "0", "--https-port", "0"],
    { cwd: root, env: base, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  let stopping = false;
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    // Once: a second SIGTERM is an impatient user, and `larder serve` then stops at once (non-zero).
    if (!stopping && /Admin: /.test(stdout)) {
      stopping = true;
      child.kill("SIGTERM");
    }
  });
  return new Promise((resolve) =>
    child.on("close", (code) => {
      resolve({ stdout, stderr, code });
    }),
  );
}

describe("npm start where no window can open", () => {
  it("says there is no display and serves headless, stopping cleanly on SIGTERM", async () => {
    const result = await startApp({ LARDER_UPSTREAMS: "registry.terraform.io=http://127.0.0.1:9" });
    expect(result.stderr).toContain(
      "Larder: no desktop window here: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).",
    );
    expect(result.stderr).toContain("Serving the same mirror headless instead, as `larder serve` does");
    expect(result.stdout).toContain(`Larder is serving ${join(temp.path, "data")}`);
    expect(result.stdout).toMatch(/Admin: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });

  it("serves headless when asked to with LARDER_HEADLESS=1", async () => {
    const result = await startApp({ LARDER_HEADLESS: "1" });
    expect(result.stderr).toContain("no desktop window here: LARDER_HEADLESS=1 is set.");
    expect(result.stdout).toContain("Larder is serving");
  });
});
