// Browse in Debian's Chromium against a real larder serve over the fixture registry: the never-refreshed empty
// state, Refresh catalog and its event, a linkable search with stored badges, filters, an address looked up on
// an unknown private host, no results, and a failing search; light and dark, axe and screenshots of each state.
import type { Browser, Page } from "playwright-core";
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

let server: UiServer;
let browser: Browser;

beforeAll(async () => {
  server = await startUiServer("browse");
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

const SCHEMES = ["light", "dark"] as const;

async function openBrowse(scheme: "light" | "dark", path = "/browse"): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  const page = await signIn(context, server);
  if (path !== "/browse") await page.goto(`${server.serve.httpUrl}${path}`);
  await page.getByRole("heading", { level: 1, name: "Browse" }).waitFor();
  return page;
}

const results = (page: Page) => page.getByRole("region", { name: "Search results" });

describe("Browse", () => {
  for (const scheme of SCHEMES) {
    it(`explains the never-refreshed catalog and offers the refresh (${scheme})`, async () => {
      const page = await openBrowse(scheme);
      await page.getByRole("heading", { name: "The catalogs have not been fetched yet" }).waitFor();
      await page.getByRole("button", { name: "Refresh catalog now" }).waitFor();
      expect(await page.getByRole("list", { name: "Catalog refresh times" }).innerText()).toContain(
        "never refreshed",
      );
      await screenshot(page, `browse-empty-${scheme}`);
      await expectAccessible(page, `Browse, never refreshed (${scheme})`);
      await page.context().close();
    });
  }

  it("refreshes the catalog, shows it running, then the results and when each registry was refreshed", async () => {
    const page = await openBrowse("light");
    await page.getByRole("button", { name: "Refresh catalog", exact: true }).click();
    await page.getByRole("button", { name: "Refreshing catalog…" }).waitFor();
    await screenshot(page, "browse-refreshing-light");
    await results(page).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Refresh catalog", exact: true }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByRole("list", { name: "Catalog refresh times" }).innerText())
      .toMatch(/registry\.terraform\.io: refreshed just now/);
    expect(await results(page).getByRole("link").count()).toBeGreaterThan(3);
    await screenshot(page, "browse-results-light");
    await expectAccessible(page, "Browse results (light)");
    await page.context().close();
  });

  for (const scheme of SCHEMES) {
    it(`searches "alpha" with a linkable URL, a stored badge and a link to the detail (${scheme})`, async () => {
      const page = await openBrowse(scheme);
      await page.getByRole("searchbox", { name: "Search registries" }).fill("alpha");
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("alpha");
      const hit = results(page).getByRole("listitem").filter({ hasText: "fixture/alpha" }).first();
      await hit.waitFor();
      expect(await hit.innerText()).toMatch(/not stored/);
      expect(await hit.innerText()).toMatch(/registry\.(terraform\.io|opentofu\.org)/);
      await screenshot(page, `browse-search-${scheme}`);
      await expectAccessible(page, `Browse search (${scheme})`);
      // A reload keeps the search: the URL is the search.
      await page.reload();
      await expect
        .poll(() => page.getByRole("searchbox", { name: "Search registries" }).inputValue())
        .toBe("alpha");
      await page.getByRole("combobox", { name: "Kind" }).selectOption("module");
      await expect.poll(() => new URL(page.url()).searchParams.get("kind")).toBe("module");
      await page.getByRole("combobox", { name: "Kind" }).selectOption("provider");
      await page.getByRole("combobox", { name: "Registry" }).selectOption("registry.terraform.io");
      const link = results(page).getByRole("link", { name: "fixture/alpha" });
      await expect.poll(() => link.count()).toBe(1);
      await link.click();
      await expect
        .poll(() => new URL(page.url()).pathname)
        .toBe("/providers/registry.terraform.io/fixture/alpha");
      await page.getByRole("heading", { level: 1, name: "fixture/alpha" }).waitFor();
      await page.context().close();
    });
  }

  it("looks an address on an unknown private host up directly and says it was not found", async () => {
    const page = await openBrowse("light");
    await page
      .getByRole("searchbox", { name: "Search registries" })
      .fill("registry.example.com/team/net/aws");
    const lookups = page.getByRole("list", { name: "Address look-ups" });
    await lookups.waitFor({ timeout: 30_000 });
    expect(await lookups.innerText()).toMatch(
      /not found on registry\.example\.com|registry\.example\.com failed/,
    );
    await screenshot(page, "browse-lookup-light");
    await expectAccessible(page, "Browse look-up (light)");
    await page.context().close();
  });

  for (const scheme of SCHEMES) {
    it(`says when nothing matches, and shows a failed search in full (${scheme})`, async () => {
      const page = await openBrowse(scheme, "/browse?q=zzzz-no-such-thing");
      await page.getByRole("heading", { name: "Nothing matches" }).waitFor();
      await screenshot(page, `browse-no-results-${scheme}`);
      await expectAccessible(page, `Browse, no results (${scheme})`);
      // The server refuses a query over 500 characters: the page says so and offers a retry.
      await page.goto(`${server.serve.httpUrl}/browse?q=${"a".repeat(501)}`);
      const alert = page.getByRole("alert").filter({ hasText: "The search failed" });
      await alert.waitFor();
      expect(await alert.innerText()).toMatch(/500/);
      await alert.getByRole("button", { name: "Try again" }).waitFor();
      await screenshot(page, `browse-error-${scheme}`);
      await expectAccessible(page, `Browse, failed search (${scheme})`);
      await page.context().close();
    });
  }
});
