// What every UI test needs: a real `larder serve` over the fixture registry, Debian's Chromium driven by
// playwright-core, screenshots kept as artifacts, and the axe-core accessibility check.
import { AxeBuilder } from "@axe-core/playwright";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../fixtures/upstream/index.js";
import { startLarderServe, type ServeProcess } from "../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../helpers/temp-dir.js";

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); LARDER_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.LARDER_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots of every page a test visits, kept for a person to look at (git-ignored). */
export const SCREENSHOT_DIR = join(import.meta.dirname, "..", "..", "test-results", "ui");

export interface UiServer {
  readonly fixture: FixtureUpstream;
  readonly temp: TempDir;
  readonly dataDir: string;
  serve: ServeProcess;
  /** The `Admin: …/?token=…` line larder serve printed. */
  loginUrl: string;
  /** The upstream flags every serve of this data dir gets: every public host goes to the fixture. */
  readonly args: readonly string[];
  /** Stops serve and starts it again on the same data dir and ports (the restart a session must survive). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fixture registry and `larder serve` on a fresh data dir, as a user would from a terminal. */
export async function startUiServer(name: string, extraArgs: readonly string[] = []): Promise<UiServer> {
  const fixture = await startFixtureUpstream();
  const temp = await makeTempDir(`ui-${name}`);
  const dataDir = join(temp.path, "data");
  const upstreams = ["registry.terraform.io", "registry.opentofu.org", "api.opentofu.org"].flatMap((host) => [
    "--upstream",
    `${host}=${fixture.url}`,
  ]);
  const args = ["--data-dir", dataDir, ...upstreams, ...extraArgs];
  const first = await startLarderServe([...args, "--port", "0", "--https-port", "0"], { LARDER_CLIENTS: "" });
  const server: UiServer = {
    fixture,
    temp,
    dataDir,
    args,
    serve: first,
    loginUrl: await loginUrlOf(first),
    restart: async () => {
      const port = new URL(server.serve.httpUrl).port;
      const httpsPort = new URL(server.serve.httpsUrl).port;
      await server.serve.stop();
      server.serve = await startLarderServe([...args, "--port", port, "--https-port", httpsPort], {
        LARDER_CLIENTS: "",
      });
      server.loginUrl = await loginUrlOf(server.serve);
    },
    stop: async () => {
      await server.serve.stop();
      await fixture.stop();
      await temp.remove();
    },
  };
  return server;
}

async function loginUrlOf(serve: ServeProcess): Promise<string> {
  for (let waited = 0; waited < 10_000; waited += 50) {
    const url = /Admin: (\S+)/.exec(serve.stdout())?.[1];
    if (url !== undefined) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`larder serve printed no login URL: ${serve.stdout()}`);
}

/** Launches Chromium headless; one per test file. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
}

/** A browser context at the smallest supported size (1024×700 is the floor the layout must work at). */
export function newContext(
  browser: Browser,
  options: { colorScheme?: "light" | "dark"; width?: number; height?: number } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.colorScheme ?? "light",
    acceptDownloads: true,
  });
}

/** Opens the printed login URL and waits for the UI's navigation: a signed-in page. */
export async function signIn(context: BrowserContext, server: UiServer): Promise<Page> {
  const page = await context.newPage();
  await page.goto(server.loginUrl);
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  return page;
}

/** Saves a full-page screenshot as test-results/ui/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // The page scrolls inside the shell's <main>, not the document: let the shell grow for the shot, so the whole
  // page is in it, then put it back.
  const grown = await page.evaluate(() => {
    const shell = document.querySelector<HTMLElement>(".shell");
    const main = document.querySelector<HTMLElement>(".main");
    if (!shell || !main) return false;
    shell.style.height = "auto";
    // …but never shorter than the window, or a short page's sidebar stops mid-shot.
    shell.style.minHeight = "100vh";
    main.style.overflow = "visible";
    return true;
  });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  if (grown) {
    await page.evaluate(() => {
      document.querySelector<HTMLElement>(".shell")?.style.removeProperty("height");
      document.querySelector<HTMLElement>(".shell")?.style.removeProperty("min-height");
      document.querySelector<HTMLElement>(".main")?.style.removeProperty("overflow");
    });
  }
}

/** Runs axe-core on the page and fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  expect(
    bad.map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join("; ")})`,
    ),
    `accessibility of ${what}`,
  ).toEqual([]);
}
