// The Bundles page as the desktop app shows it, in Chromium against a real larder serve. The only stand-in is the
// preload's `window.larderDesktop` (the Electron boundary): its "native dialogs" answer paths in this test's temp
// dir and record what the page asked. Everything behind it is real: the server writes, verifies and imports.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DesktopApi } from "../../shared/desktop-api.js";
import { runLarder } from "../helpers/larder-cli.js";
import { storeAlpha } from "./ops-support.js";
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
let bundleFile: string;

beforeAll(async () => {
  server = await startUiServer("desktop-bridge");
  browser = await launchBrowser();
  await storeAlpha(server);
  bundleFile = join(server.temp.path, "from-the-save-dialog.tar");
}, 120_000);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

type Call = [method: keyof DesktopApi, ...args: unknown[]];

/** Opens Bundles with a recording `window.larderDesktop` whose dialogs answer `answers` (null: cancelled). */
async function openAsDesktop(
  answers: { save: string | null; openBundle: string | null; signingKey: string | null },
  scheme: "light" | "dark" = "light",
): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  await context.addInitScript((given) => {
    const calls: unknown[][] = [];
    const record = <T>(answer: T, ...call: unknown[]): Promise<T> => {
      calls.push(call);
      return Promise.resolve(answer);
    };
    Object.assign(window, {
      __desktopCalls: calls,
      larderDesktop: {
        openBundle: () => record(given.openBundle, "openBundle"),
        saveBundle: (name: string) => record(given.save, "saveBundle", name),
        openSigningKey: () => record(given.signingKey, "openSigningKey"),
        revealFile: (path: string) => record(true, "revealFile", path),
        notify: (title: string, body: string) => record(undefined, "notify", title, body),
        appInfo: () => record({ version: "0", platform: "linux", dataDir: "/x" }, "appInfo"),
      },
    });
  }, answers);
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bundles" }).click();
  await page.getByRole("heading", { level: 1, name: "Bundles" }).waitFor();
  return page;
}

const callsOf = (page: Page): Promise<Call[]> =>
  page.evaluate(() => (window as unknown as { __desktopCalls: Call[] }).__desktopCalls);

describe("Bundles in the desktop app", { timeout: 120_000 }, () => {
  it("exports to the file the save dialog names, then shows it in its folder", async () => {
    const page = await openAsDesktop({ save: bundleFile, openBundle: null, signingKey: null });
    await page.getByRole("radio", { name: "Write a file on this computer (can be signed)" }).check();
    await page.getByRole("button", { name: "Choose file to write" }).click();
    await expect.poll(() => page.getByLabel("File to write", { exact: true }).inputValue()).toBe(bundleFile);
    await page.getByText(/Exact size:/).waitFor();
    await page.getByRole("button", { name: "Write bundle" }).click();
    await page.getByText(`Wrote ${bundleFile}`).waitFor();
    expect((await stat(bundleFile)).size).toBeGreaterThan(0);
    const verified = await runLarder(["bundle", "verify", bundleFile]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    await screenshot(page, "desktop-bundles-written-light");
    await page.getByRole("button", { name: "Show in folder" }).click();
    const calls = await callsOf(page);
    expect(calls[0]?.[0]).toBe("saveBundle");
    expect(String(calls[0]?.[1])).toMatch(/^larder-\d{4}-\d{2}-\d{2}\.tar$/);
    expect(calls.at(-1)).toEqual(["revealFile", bundleFile]);
    await expectAccessible(page, "Bundles in the desktop app, written");
    await page.context().close();
  });

  it("leaves the path as it was when a dialog is cancelled", async () => {
    const page = await openAsDesktop({ save: null, openBundle: null, signingKey: null }, "dark");
    await page.getByRole("radio", { name: "Write a file on this computer (can be signed)" }).check();
    await page.getByLabel("File to write", { exact: true }).fill("/media/usb/typed.tar");
    await page.getByRole("button", { name: "Choose file to write" }).click();
    await page.getByRole("button", { name: "Choose signing key (optional)" }).click();
    await expect.poll(async () => (await callsOf(page)).length).toBe(2);
    expect(await page.getByLabel("File to write", { exact: true }).inputValue()).toBe("/media/usb/typed.tar");
    expect(await page.getByLabel("Signing key (optional)", { exact: true }).inputValue()).toBe("");
    await page.getByRole("button", { name: "Choose a bundle on this computer…" }).click();
    await expect.poll(async () => (await callsOf(page)).length).toBe(3);
    expect(await page.getByText("(read in place)").count()).toBe(0);
    await screenshot(page, "desktop-bundles-choose-dark");
    await page.context().close();
  });

  it("verifies a bundle the open dialog names, read in place rather than uploaded", async () => {
    const page = await openAsDesktop({ save: null, openBundle: bundleFile, signingKey: null });
    await page.getByRole("button", { name: "Choose a bundle on this computer…" }).click();
    await page.getByText(`${bundleFile} (read in place)`).waitFor();
    await page.getByRole("button", { name: "Verify" }).click();
    const report = page.getByRole("region", { name: "Verify report" });
    await report.getByText(/verified: all \d+ entries pass/).waitFor();
    expect(await report.innerText()).toContain("terraform-provider-alpha_2.0.0_linux_amd64.zip");
    await screenshot(page, "desktop-bundles-verified-light");
    await page.context().close();
  });

  it("offers no native buttons in a plain browser", async () => {
    const context = await newContext(browser);
    const page = await signIn(context, server);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bundles" }).click();
    await page.getByRole("radio", { name: "Write a file on the Larder machine (can be signed)" }).check();
    expect(await page.getByRole("button", { name: /^Choose/ }).count()).toBe(0);
    await context.close();
  });
});
