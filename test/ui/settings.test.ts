// The Settings and Activity pages in Chromium against a real larder serve: a setting changed and saved (and
// persisted, as the API shows), a bad value's message next to its input, a private upstream added with a token
// that is never shown again and removed; then Activity shows those changes by actor "ui", filters and pages.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminClient } from "../../shared/api-client.js";
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

const PRIVATE = "registry.private.example";
const SECRET = "s3cret-registry-token-0123456789";

let server: UiServer;
let browser: Browser;
let api: AdminClient;

beforeAll(async () => {
  server = await startUiServer("settings");
  browser = await launchBrowser();
  api = clientOf(server);
}, 60_000);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function open(label: "Settings" | "Activity", scheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  await page.getByRole("heading", { level: 1, name: label }).waitFor();
  return page;
}

describe("Settings page", { timeout: 120_000 }, () => {
  it("shows the settings, ports and theme (light and dark)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await open("Settings", scheme);
      await page.getByLabel("Concurrency", { exact: true }).waitFor();
      expect(await page.getByLabel("Concurrency", { exact: true }).inputValue()).toBe(
        String((await api.settings()).concurrency),
      );
      expect(await page.getByRole("region", { name: "Ports" }).innerText()).toContain(server.serve.httpUrl);
      await screenshot(page, `settings-filled-${scheme}`);
      await expectAccessible(page, `Settings (${scheme})`);
      await page.context().close();
    }
  });

  it("saves a changed concurrency, says so, and the API has it", async () => {
    const page = await open("Settings");
    const field = page.getByLabel("Concurrency", { exact: true });
    await field.fill("7");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Saved", { exact: true }).waitFor();
    expect((await api.settings()).concurrency).toBe(7);
    await screenshot(page, "settings-saved-light");
    await page.reload();
    await page.getByLabel("Concurrency", { exact: true }).waitFor();
    expect(await page.getByLabel("Concurrency", { exact: true }).inputValue()).toBe("7");
    await page.context().close();
  });

  it("shows a refused value's message next to its input, saving nothing", async () => {
    const page = await open("Settings", "dark");
    const field = page.getByLabel("Concurrency", { exact: true });
    await field.fill("0");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const message = page.locator("#concurrency-error");
    expect(await message.innerText()).toMatch(/1|least/);
    // The message is the input's description, so a screen reader reads it with the field.
    expect(await field.getAttribute("aria-describedby")).toContain("concurrency-error");
    expect((await api.settings()).concurrency).toBe(7);
    await screenshot(page, "settings-field-error-dark");
    await expectAccessible(page, "Settings, a field error (dark)");
    await page.context().close();
  });

  it("adds a private upstream with a token that is never shown again, and removes it", async () => {
    const page = await open("Settings");
    await page.getByLabel("Registry host").fill(PRIVATE);
    await page.getByLabel("Address (optional)").fill("https://registry.private.example:8443");
    await page.getByLabel("Token (optional)").fill(SECRET);
    await page.getByRole("button", { name: "Add registry" }).click();
    const table = page.getByRole("table", { name: "Upstream registries" });
    const row = table.getByRole("row").filter({ hasText: PRIVATE });
    await row.waitFor();
    expect(await row.innerText()).toContain("token set");
    expect(await page.getByLabel("Token (optional)").inputValue()).toBe("");
    expect(await page.content()).not.toContain(SECRET);
    const upstream = (await api.settings()).upstreams.find((entry) => entry.host === PRIVATE);
    expect(upstream).toMatchObject({ hasToken: true, url: "https://registry.private.example:8443" });
    await screenshot(page, "settings-upstream-added-light");
    await expectAccessible(page, "Settings, an upstream added (light)");
    await page.getByRole("button", { name: `Remove ${PRIVATE}` }).click();
    await row.waitFor({ state: "detached" });
    expect((await api.settings()).upstreams.map((entry) => entry.host)).not.toContain(PRIVATE);
    await page.context().close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`tests a registry: the fixture passes each step, a dead address fails with its reason (${scheme})`, async () => {
      const dead = `dead-${scheme}.example`;
      await api.setUpstream(dead, { url: "http://127.0.0.1:9" });
      const page = await open("Settings", scheme);
      await page.getByRole("button", { name: "Test registry.terraform.io" }).click();
      const passed = page.getByRole("status", { name: "Test of registry.terraform.io" });
      await passed.getByText("usable", { exact: true }).waitFor({ timeout: 30_000 });
      expect(await passed.innerText()).toMatch(/discovery\s+offers providers\.v1 and modules\.v1/);
      expect(await passed.innerText()).toMatch(/providers\.v1\s+answers without a token/);
      await page.getByRole("button", { name: `Test ${dead}` }).click();
      const failed = page.getByRole("status", { name: `Test of ${dead}` });
      await failed.getByText("not usable", { exact: true }).waitFor({ timeout: 30_000 });
      expect(await failed.innerText()).toMatch(/discovery\s+Could not fetch .*127\.0\.0\.1:9/);
      await screenshot(page, `settings-upstream-tested-${scheme}`);
      await expectAccessible(page, `Settings, registries tested (${scheme})`);
      await api.removeUpstream(dead);
      await page.context().close();
    });
  }

  it("shows a bad upstream address's message next to it", async () => {
    const page = await open("Settings");
    await page.getByLabel("Registry host").fill(PRIVATE);
    await page.getByLabel("Address (optional)").fill("ftp://nope");
    await page.getByRole("button", { name: "Add registry" }).click();
    await page.locator("#upstream-url-error").waitFor();
    expect(await page.locator("#upstream-url-error").innerText()).toContain("http");
    await page.context().close();
  });
});

describe("Activity page", { timeout: 120_000 }, () => {
  it("lists the changes made in the UI with actor ui, and filters them (light and dark)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await open("Activity", scheme);
      const table = page.getByRole("table", { name: "Recorded changes, newest first" });
      await table.waitFor();
      const text = await table.innerText();
      for (const action of ["config.set", "upstream.set", "upstream.remove"]) expect(text).toContain(action);
      await page.getByLabel("Actor").selectOption("ui");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect
        .poll(async () => {
          const actors = await table.getByRole("row").locator("td:nth-child(2) .badge").allInnerTexts();
          return actors.length > 0 && actors.every((actor) => actor === "UI");
        })
        .toBe(true);
      await screenshot(page, `activity-filled-${scheme}`);
      await expectAccessible(page, `Activity (${scheme})`);
      await page.getByLabel("Action").fill("nothing.such");
      await page.getByRole("button", { name: "Apply filters" }).click();
      await page.getByRole("heading", { name: "Nothing matches these filters" }).waitFor();
      await screenshot(page, `activity-empty-${scheme}`);
      await expectAccessible(page, `Activity, empty (${scheme})`);
      await page.context().close();
    }
  });

  it("loads older entries a page at a time", async () => {
    for (let i = 0; i < 55; i++) await api.updateSettings({ pullThroughTtlSeconds: 100 + i });
    const page = await open("Activity");
    const rows = page.getByRole("table", { name: "Recorded changes, newest first" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole("button", { name: "Load older" }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(55);
    // API changes are the script's, not the UI's.
    expect(await rows.first().innerText()).toContain("API");
    await page.context().close();
  });
});
