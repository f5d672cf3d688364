// The desktop app as a user meets it, driven by Playwright's Electron support: launch, the window signs itself
// in and shows Mirror, a provider mirrored from the window completes, a second launch only focuses the first,
// and quitting stops the server and leaves no process. It needs a runnable Electron binary, which cannot be
// downloaded on every machine: then it is skipped and says so (never a silent pass).
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { _electron as electron, type ElectronApplication, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../../main/electron/port-owner.js";
import { startFixtureUpstream } from "../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";
import { screenshot } from "../ui/ui-support.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The Electron binary, found the way the `electron` package finds it (ELECTRON_OVERRIDE_DIST_PATH, else the
 * path.txt its installer writes) but without requiring the package, which would try to download it.
 */
function electronBinary(): string | undefined {
  const pkg = join(root, "node_modules", "electron");
  const pathFile = join(pkg, "path.txt");
  const relative = existsSync(pathFile) ? readFileSync(pathFile, "utf8").trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? join(override, relative ?? "electron")
    : relative
      ? join(pkg, "dist", relative)
      : undefined;
  return candidate !== undefined && existsSync(candidate) ? candidate : undefined;
}

const binary = electronBinary();
if (!binary)
  console.warn(
    "SKIPPED test/e2e/electron-smoke.test.ts: no Electron binary here (node_modules/electron has not fetched one " +
      "and ELECTRON_OVERRIDE_DIST_PATH is unset). Run `npx electron --version` once where downloads work, then npm test.",
  );

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => {
      resolve(true);
    });
  });

describe.skipIf(!binary)("the Electron app", { timeout: 120_000 }, () => {
  let temp: TempDir;
  let fixture: Awaited<ReturnType<typeof startFixtureUpstream>>;
  let app: ElectronApplication;
  let window: Page;
  let env: Record<string, string>;
  let httpPort: number;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
    temp = await makeTempDir("electron");
    const [http = 0, https = 0] = await freePorts("127.0.0.1", 2);
    httpPort = http;
    const inherited = Object.entries(process.env).filter(
      (entry): entry is [string, string] => !entry[0].startsWith("LARDER_") && entry[1] !== undefined,
    );
    env = {
      ...Object.fromEntries(inherited),
      LARDER_DATA_DIR: join(temp.path, "data"),
      LARDER_PORT: String(http),
      LARDER_HTTPS_PORT: String(https),
      LARDER_CLIENTS: "terraform",
      LARDER_UPSTREAMS: ["registry.terraform.io", "registry.opentofu.org", "api.opentofu.org"]
        .map((host) => `${host}=${fixture.url}`)
        .join(","),
      XDG_CONFIG_HOME: join(temp.path, "config"),
    };
    app = await electron.launch({ executablePath: binary, args: ["--no-sandbox", root], env, cwd: root });
    window = await app.firstWindow();
  });
  afterAll(async () => {
    if (app.process().exitCode === null) app.process().kill("SIGKILL");
    await fixture.stop();
    await temp.remove();
  });

  it("opens its window signed in, on the Mirror page", async () => {
    await window.getByRole("heading", { level: 1, name: "Mirror" }).waitFor({ timeout: 30_000 });
    expect(new URL(window.url()).origin).toBe(`http://127.0.0.1:${httpPort}`);
    // The token went into an HttpOnly cookie, never into the page.
    expect(window.url()).not.toContain("token");
    expect(await window.evaluate(() => document.cookie)).toBe("");
    expect(await window.evaluate(() => typeof (window as { larderDesktop?: unknown }).larderDesktop)).toBe(
      "object",
    );
    await screenshot(window, "electron-1-mirror");
  });

  it("mirrors a provider started from the window, and Downloads reaches succeeded", async () => {
    await window.goto(`http://127.0.0.1:${httpPort}/providers/registry.terraform.io/fixture/alpha`);
    await window.getByRole("checkbox", { name: "2.0.0", exact: true }).check();
    await window.getByRole("button", { name: "Mirror", exact: true }).click();
    await window.getByRole("link", { name: "see Downloads" }).click();
    await window.getByRole("heading", { level: 1, name: "Downloads" }).waitFor();
    await window.getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 60_000 });
    await screenshot(window, "electron-2-downloads-succeeded");
  });

  it("keeps the mirror serving when the window closes, and a second launch brings the window back", async () => {
    // As the user's close button does: BrowserWindow.close() emits "close", which the app turns into hide.
    await app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()[0]?.close();
    });
    const visible = () =>
      app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((each) => each.isVisible()));
    await expect.poll(visible).toEqual([false]);
    expect(await portFree(httpPort)).toBe(false);
    const second = spawn(binary ?? "", ["--no-sandbox", root], { env, stdio: "ignore" });
    const code = await new Promise<number | null>((resolve) => second.on("exit", resolve));
    expect(code).toBe(0);
    await expect.poll(visible).toEqual([true]);
    expect(app.process().exitCode).toBeNull();
  });

  it("quits from the app: the server stops cleanly and no process is left", async () => {
    let output = "";
    app.process().stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) =>
      app.process().once("exit", () => {
        resolve();
      }),
    );
    await app.evaluate(({ app: electronApp }) => {
      electronApp.quit();
    });
    await exited;
    expect(output).toContain("Larder stopped.");
    expect(await portFree(httpPort)).toBe(true);
    const pid = app.process().pid ?? 0;
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
