// The Projects page as the desktop app shows it, in Chromium against a real larder serve. The only stand-in is the
// preload's `window.larderDesktop` (the Electron boundary): its folder dialog answers a folder in this test's temp
// dir (or is cancelled) and records that the page asked. The server reads the chosen folder for real.
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesktopApi } from "../../shared/desktop-api.js";
import { clientOf } from "./ops-support.js";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startUiServer,
  type UiServer,
} from "./ui-support.js";

let server: UiServer;
let browser: Browser;
let chosenFolder: string;

beforeAll(async () => {
  server = await startUiServer("desktop-projects");
  browser = await launchBrowser();
  chosenFolder = join(server.temp.path, "chosen-in-dialog");
  await mkdir(chosenFolder, { recursive: true });
  await writeFile(
    join(chosenFolder, "main.tf"),
    `terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha", version = "2.0.0" }\n  }\n}\n`,
  );
}, 120_000);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

type Call = [method: keyof DesktopApi, ...args: unknown[]];

/** Opens Projects with a recording `window.larderDesktop` whose folder dialog answers `folder` (null: cancelled). */
async function openAsDesktop(folder: string | null, scheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  await context.addInitScript((answer) => {
    const calls: unknown[][] = [];
    const record = <T>(value: T, ...call: unknown[]): Promise<T> => {
      calls.push(call);
      return Promise.resolve(value);
    };
    Object.assign(window, {
      __desktopCalls: calls,
      larderDesktop: {
        openBundle: () => record(null, "openBundle"),
        saveBundle: (name: string) => record(null, "saveBundle", name),
        openSigningKey: () => record(null, "openSigningKey"),
        revealFile: (path: string) => record(true, "revealFile", path),
        notify: (title: string, body: string) => record(undefined, "notify", title, body),
        appInfo: () => record({ version: "0", platform: "linux", dataDir: "/x" }, "appInfo"),
        openProjectFolder: () => record(answer, "openProjectFolder"),
      },
    });
  }, folder);
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
  return page;
}

const callsOf = (page: Page): Promise<Call[]> =>
  page.evaluate(() => (window as unknown as { __desktopCalls: Call[] }).__desktopCalls);

describe("Projects in the desktop app", { timeout: 120_000 }, () => {
  it("adds the folder the native folder dialog names, read where it is", async () => {
    const page = await openAsDesktop(chosenFolder);
    await page.getByRole("radio", { name: "A folder on this computer" }).waitFor();
    await page.getByRole("button", { name: "Choose a folder…" }).click();
    const path = page.getByLabel("Project folder", { exact: true });
    await expect.poll(() => path.inputValue()).toBe(chosenFolder);
    expect(await callsOf(page)).toEqual([["openProjectFolder"]]);
    await screenshot(page, "desktop-projects-chosen-light");
    await expectAccessible(page, "Projects in the desktop app, a folder chosen");
    await page.getByRole("button", { name: "Add project" }).click();
    await page.getByRole("heading", { level: 1, name: "chosen-in-dialog" }).waitFor();
    const [project] = (await clientOf(server).projects()).projects;
    expect(project?.kind).toBe("folder");
    expect(project?.path).toBe(chosenFolder);
    expect(project?.status.state).toBe("missing");
    await page.context().close();
  });

  it("leaves the typed path as it was when the dialog is cancelled", async () => {
    const page = await openAsDesktop(null, "dark");
    const path = page.getByLabel("Project folder", { exact: true });
    await path.fill("/srv/typed/by/hand");
    await page.getByRole("button", { name: "Choose a folder…" }).click();
    await expect.poll(async () => (await callsOf(page)).length).toBe(1);
    expect(await path.inputValue()).toBe("/srv/typed/by/hand");
    await screenshot(page, "desktop-projects-cancelled-dark");
    await expectAccessible(page, "Projects in the desktop app, dialog cancelled (dark)");
    await page.context().close();
  });

  it("offers no folder dialog in a plain browser", async () => {
    const context = await newContext(browser);
    const page = await signIn(context, server);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
    await page.getByRole("radio", { name: "A folder on the Larder machine" }).waitFor();
    expect(await page.getByRole("button", { name: "Choose a folder…" }).count()).toBe(0);
    await context.close();
  });
});
