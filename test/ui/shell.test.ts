// The frame every page shares, in Debian's Chromium against a real larder serve: sign-in through the printed
// URL, the navigation landmark and its labels, every page's own URL, light and dark, the signed-out state, and
// the "connection lost — reconnecting" state across a server restart.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startUiServer,
  type UiServer,
} from "./ui-support.js";

const LABELS = ["Browse", "Projects", "Downloads", "Mirror", "Bundles", "Connect", "Settings", "Activity"];

let server: UiServer;
let browser: Browser;

beforeAll(async () => {
  server = await startUiServer("shell");
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

describe("UI shell", () => {
  it("signs in through the printed URL, drops the token from the address bar and lands on Browse", async () => {
    const context = await newContext(browser);
    const page = await signIn(context, server);
    expect(new URL(page.url()).pathname).toBe("/browse");
    expect(page.url()).not.toContain("token=");
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allInnerTexts()).toEqual(LABELS);
    await context.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`gives every page its own URL, reachable from the navigation, accessible in ${scheme}`, async () => {
      const context = await newContext(browser, { colorScheme: scheme });
      const page = await signIn(context, server);
      for (const label of LABELS) {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
        await expect.poll(() => new URL(page.url()).pathname).toBe(`/${label.toLowerCase()}`);
        await expect
          .poll(() => page.getByRole("link", { name: label }).getAttribute("aria-current"))
          .toBe("page");
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await screenshot(page, `shell-${label.toLowerCase()}-${scheme}`);
        await expectAccessible(page, `${label} (${scheme})`);
      }
      // A page's URL opened directly (a bookmark, a reload) shows that page.
      await page.goto(`${server.serve.httpUrl}/mirror`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).first().innerText()).toBe("Mirror");
      await context.close();
    });
  }

  it("the theme toggle switches to dark and is remembered across a reload", async () => {
    const context = await newContext(browser, { colorScheme: "light" });
    const page = await signIn(context, server);
    await page.getByRole("button", { name: /System theme/ }).click();
    await page.getByRole("button", { name: /Light theme/ }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.reload();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await context.close();
  });

  it("without the login cookie says how to sign in", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.serve.httpUrl}/browse`);
    await page.getByRole("heading", { name: "Sign in to Larder" }).waitFor();
    expect(await page.getByRole("alert").innerText()).toContain("larder token --url");
    await screenshot(page, "shell-signed-out-light");
    await expectAccessible(page, "the signed-out page");
    await context.close();
  });

  it("shows connection lost while the server is down and recovers after it restarts", async () => {
    const context = await newContext(browser);
    const page = await signIn(context, server);
    const port = new URL(server.serve.httpUrl).port;
    await server.serve.stop();
    await page.getByText(/Connection lost — reconnecting/).waitFor({ timeout: 15_000 });
    await screenshot(page, "shell-connection-lost-light");
    await server.restart();
    expect(new URL(server.serve.httpUrl).port).toBe(port);
    await page.getByText(/Connection lost/).waitFor({ state: "detached", timeout: 40_000 });
    await context.close();
  });
});
