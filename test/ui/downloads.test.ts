// The Downloads page in Debian's Chromium against a real larder serve: the empty state, a job that reaches
// succeeded, a slow download paused and resumed from the page, a cancel that asks first, and a failing download
// whose reason is shown in full. Jobs are started through the typed admin client (Browse is another page's test).
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "../../shared/api-client.js";
import { archivePath } from "../integration/downloads/download-support.js";
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
let client: AdminClient;

beforeAll(async () => {
  server = await startUiServer("downloads");
  browser = await launchBrowser();
  const token = new URL(server.loginUrl).searchParams.get("token") ?? "";
  client = new AdminClient({ baseUrl: server.serve.httpUrl, token });
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function openDownloads(scheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Downloads" }).click();
  await page.getByRole("heading", { level: 1, name: "Downloads" }).waitFor();
  return page;
}

function jobCard(page: Page, id: number): Locator {
  return page.getByRole("article", { name: new RegExp(`^job ${id}: `) });
}

async function startProvider(address: string, version: string, platform: string): Promise<number> {
  const { id } = await client.startJob({
    kind: "provider",
    address,
    versions: [version],
    platforms: [platform],
  });
  return id;
}

describe("Downloads page", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`says there are no downloads yet and points to Browse (${scheme})`, async () => {
      const page = await openDownloads(scheme);
      await page.getByRole("heading", { name: "No downloads yet — find something on Browse" }).waitFor();
      expect(await page.getByRole("link", { name: "Go to Browse" }).getAttribute("href")).toBe("/browse");
      await screenshot(page, `downloads-empty-${scheme}`);
      await expectAccessible(page, `Downloads, empty (${scheme})`);
      await page.context().close();
    });
  }

  it("shows a job for fixture/alpha 2.0.0 linux_amd64 reach succeeded, with full bars, in history", async () => {
    const page = await openDownloads();
    const id = await startProvider("registry.terraform.io/fixture/alpha", "2.0.0", "linux_amd64");
    const card = jobCard(page, id);
    await card.getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: "History" }).waitFor();
    // Counts follow the state event by one detail fetch.
    await card.getByText("1 of 1 items done").waitFor();
    await expect
      .poll(() =>
        card
          .getByRole("progressbar", { name: new RegExp(`^Progress of job ${id}`) })
          .getAttribute("aria-valuenow"),
      )
      .toBe("100");
    // A succeeded job offers nothing to pause, resume, cancel or retry.
    expect(await card.getByRole("button", { name: /^(Pause|Resume|Cancel|Retry) / }).count()).toBe(0);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `downloads-filled-${scheme}`);
      await expectAccessible(page, `Downloads with a finished job (${scheme})`);
    }
    await page.context().close();
  });

  it("pauses a slow download from the page, resumes it, and it finishes", async () => {
    const pkg = server.fixture.packageOf("fixture", "alpha", "1.0.0", "linux_amd64");
    server.fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / 40)));
    const page = await openDownloads();
    const id = await startProvider("registry.terraform.io/fixture/alpha", "1.0.0", "linux_amd64");
    const card = jobCard(page, id);
    await card.getByText("Running", { exact: true }).first().waitFor({ timeout: 20_000 });
    await page.getByRole("heading", { name: "Active" }).waitFor();
    await card.getByRole("button", { name: `Pause job ${id}: ` + (await whatOf(id)) }).click();
    await card.getByText("Paused", { exact: true }).first().waitFor({ timeout: 15_000 });
    expect((await client.job(id)).job.state.status).toBe("paused");
    await card.getByRole("button", { name: /^Resume job / }).waitFor();
    expect(await card.getByRole("button", { name: /^Pause job / }).count()).toBe(0);
    await screenshot(page, "downloads-paused-light");
    await expectAccessible(page, "Downloads with a paused job");

    server.fixture.slowDown(archivePath(pkg), 0);
    await card.getByRole("button", { name: /^Resume job / }).click();
    await card.getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 30_000 });
    expect((await client.job(id)).job.state.status).toBe("succeeded");
    await page.context().close();
  });

  it("asks before cancelling, and a cancelled job can be retried", async () => {
    const pkg = server.fixture.packageOf("fixture", "beta", "0.4.0", "linux_amd64");
    server.fixture.slowDown(archivePath(pkg), 1);
    const page = await openDownloads();
    const id = await startProvider("registry.terraform.io/fixture/beta", "0.4.0", "linux_amd64");
    const card = jobCard(page, id);
    await card.getByRole("button", { name: /^Cancel job / }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { name: /^Cancel job / }).waitFor();
    await expectAccessible(page, "the cancel confirmation");
    await dialog.getByRole("button", { name: "Keep downloading" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await client.job(id)).job.state.status).not.toBe("cancelled");

    await card.getByRole("button", { name: /^Cancel job / }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel download" }).click();
    await card.getByText("Cancelled", { exact: true }).first().waitFor({ timeout: 15_000 });
    server.fixture.slowDown(archivePath(pkg), 0);
    await card.getByRole("button", { name: /^Retry job / }).waitFor();
    await card.getByRole("button", { name: /^Retry job / }).click();
    await card.getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  it("shows a failing download's reason in full, wrapped, and offers retry", async () => {
    const page = await openDownloads();
    const id = await startProvider("registry.terraform.io/hostile/tampered-archive", "1.0.0", "linux_amd64");
    const card = jobCard(page, id);
    await card.getByText("Failed", { exact: true }).first().waitFor({ timeout: 30_000 });
    const detail = await client.job(id);
    const item = detail.items[0];
    if (item?.state.status !== "failed") throw new Error(`item not failed: ${JSON.stringify(item)}`);
    const reasons = card.getByRole("note");
    await expect.poll(() => reasons.allInnerTexts()).toContain(item.state.reason);
    // Wrapped, not cut off: nothing of the reason is hidden past its box.
    for (const reason of await reasons.all()) {
      const { scrollWidth, clientWidth } = await reason.evaluate((node) => ({
        scrollWidth: node.scrollWidth,
        clientWidth: node.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    }
    await card.getByRole("button", { name: /^Retry job / }).waitFor();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `downloads-failed-${scheme}`);
      await expectAccessible(page, `Downloads with a failed job (${scheme})`);
    }
    await page.context().close();
  });
});

async function whatOf(id: number): Promise<string> {
  return (await client.job(id)).job.what;
}
