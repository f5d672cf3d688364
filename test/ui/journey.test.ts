// One person's whole session in Debian's Chromium, in one browser tab, against two real `larder serve` processes
// over the fixture registry, with nothing mocked and nothing done behind the UI's back: sign in through the
// printed URL → refresh the catalog and search → open a provider → tick a version (this machine's platform is
// ticked already) → Mirror → Downloads reaches succeeded → Mirror shows it. Then a slow download paused and
// resumed, a failing one with its reason, the server restarted under the open tab, a delete and garbage
// collection, a bundle exported as a browser download and checked by `larder bundle verify`, imported into a
// second server through its own page, and the second server's Connect config used by the real `tofu init`.
// The page-by-page tests cover each page's states in depth; this one proves the pages work as one product.
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivePath } from "../integration/downloads/download-support.js";
import { runLarder } from "../helpers/larder-cli.js";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";
import { clientOf } from "./ops-support.js";
import { launchBrowser, newContext, screenshot, signIn, startUiServer, type UiServer } from "./ui-support.js";

const tofu = tofuAvailability();
const HOST = "registry.terraform.io";
const ALPHA = `${HOST}/fixture/alpha`;

let sender: UiServer;
let receiver: UiServer;
let browser: Browser;
/** The one tab the whole journey happens in (the second server gets its own, as a second machine would). */
let page: Page;
let bundleFile: string;

beforeAll(async () => {
  [sender, receiver] = await Promise.all([startUiServer("journey"), startUiServer("journey-receiver")]);
  browser = await launchBrowser();
  bundleFile = join(sender.temp.path, "journey.tar");
}, 60_000);
afterAll(async () => {
  await browser.close();
  await Promise.all([sender.stop(), receiver.stop()]);
});

async function go(label: string): Promise<void> {
  // Downloads' link also carries its active-job count ("Downloads 1 active"): match the label's start.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: new RegExp(`^${label}`) })
    .click();
  await page.getByRole("heading", { level: 1, name: label }).waitFor();
}

/** The job id from the "Started job N" status the detail page shows after Mirror. */
async function startedJob(): Promise<number> {
  const started = page.getByRole("status").filter({ hasText: /Started job \d+/ });
  await started.waitFor();
  return Number(/Started job (\d+)/.exec(await started.innerText())?.[1]);
}

const jobCard = (id: number): Locator => page.getByRole("article", { name: new RegExp(`^job ${id}: `) });

/** Opens a provider's detail page and mirrors one version on this machine's (preselected) platform. */
async function mirrorFromDetail(address: string, version: string): Promise<number> {
  await page.goto(`${sender.serve.httpUrl}/providers/${address}`);
  await page.getByRole("heading", { level: 1, name: address.split("/").slice(1).join("/") }).waitFor();
  await page.getByRole("checkbox", { name: version, exact: true }).check();
  expect(await page.getByRole("checkbox", { name: "linux_amd64" }).isChecked()).toBe(true);
  await page.getByRole("button", { name: "Mirror", exact: true }).click();
  return startedJob();
}

describe(
  "A whole session, from the printed login URL to tofu init on a second mirror",
  { timeout: 120_000 },
  () => {
    it("signs in through the printed URL and finds fixture/alpha by searching", async () => {
      page = await signIn(await newContext(browser), sender);
      await go("Browse");
      await page.getByRole("button", { name: "Refresh catalog", exact: true }).click();
      await expect
        .poll(() => page.getByRole("list", { name: "Catalog refresh times" }).innerText(), {
          timeout: 30_000,
        })
        .toMatch(/registry\.terraform\.io: refreshed just now/);
      // The fixture serves both public registries, so fixture/alpha is listed twice until the filter applies.
      await page.getByRole("combobox", { name: "Registry" }).selectOption(HOST);
      await expect.poll(() => new URL(page.url()).searchParams.get("registry")).toBe(HOST);
      await page.getByRole("searchbox", { name: "Search registries" }).fill("alpha");
      await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("alpha");
      const results = page.getByRole("region", { name: "Search results" });
      const link = results.getByRole("link", { name: "fixture/alpha" });
      await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
      // `has` is matched inside each list item, so it names the link from the page, not from `results`.
      const hit = results
        .getByRole("listitem")
        .filter({ has: page.getByRole("link", { name: "fixture/alpha" }) });
      expect(await hit.innerText()).toMatch(/not stored/);
      await screenshot(page, "journey-1-search");
      await link.click();
      await page.getByRole("heading", { level: 1, name: "fixture/alpha" }).waitFor();
    });

    it("mirrors 2.0.0 for this machine's platform, watches Downloads reach succeeded, and sees it on Mirror", async () => {
      await page.getByRole("checkbox", { name: "2.0.0", exact: true }).check();
      expect(await page.getByRole("checkbox", { name: "linux_amd64" }).isChecked()).toBe(true);
      await page.getByText(/1 version × 1 platform: 1 package/).waitFor();
      await page.getByRole("button", { name: "Mirror", exact: true }).click();
      const id = await startedJob();
      await page.getByRole("link", { name: "see Downloads" }).click();
      await page.getByRole("heading", { level: 1, name: "Downloads" }).waitFor();
      await jobCard(id).getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 60_000 });
      await screenshot(page, "journey-2-downloads-succeeded");

      await go("Mirror");
      const list = page.getByRole("list", { name: "Stored items" });
      await list.getByRole("button", { name: `Delete ${ALPHA} 2.0.0 linux_amd64` }).waitFor();
      expect(await list.innerText()).toContain("Signed");
      await screenshot(page, "journey-3-mirror");
    });

    it("pauses a slow download and resumes it to the end", async () => {
      const pkg = sender.fixture.packageOf("fixture", "alpha", "1.0.0", "linux_amd64");
      sender.fixture.slowDown(archivePath(pkg), Math.max(1, Math.floor(pkg.zip.length / 40)));
      const id = await mirrorFromDetail(ALPHA, "1.0.0");
      await go("Downloads");
      const card = jobCard(id);
      await card.getByText("Running", { exact: true }).first().waitFor({ timeout: 20_000 });
      await card.getByRole("button", { name: /^Pause job / }).click();
      await card.getByText("Paused", { exact: true }).first().waitFor({ timeout: 15_000 });
      await screenshot(page, "journey-4-paused");
      sender.fixture.slowDown(archivePath(pkg), 0);
      await card.getByRole("button", { name: /^Resume job / }).click();
      await card.getByText("Succeeded", { exact: true }).first().waitFor({ timeout: 60_000 });
    });

    it("shows a failing download's reason in full", async () => {
      const id = await mirrorFromDetail(`${HOST}/hostile/tampered-archive`, "1.0.0");
      await go("Downloads");
      const card = jobCard(id);
      await card.getByText("Failed", { exact: true }).first().waitFor({ timeout: 30_000 });
      const item = (await clientOf(sender).job(id)).items[0];
      if (item?.state.status !== "failed")
        throw new Error(`the tampered archive did not fail: ${JSON.stringify(item)}`);
      await expect.poll(() => card.getByRole("note").allInnerTexts()).toContain(item.state.reason);
      expect(item.state.reason).toMatch(/checksum|SHA|hash/i);
      await card.getByRole("button", { name: /^Retry job / }).waitFor();
      await screenshot(page, "journey-5-failed");
    });

    it("survives the server restarting under the open tab, still signed in", async () => {
      await sender.serve.stop();
      await page.getByText(/Connection lost — reconnecting/).waitFor({ timeout: 15_000 });
      await sender.restart();
      await page.getByText(/Connection lost/).waitFor({ state: "detached", timeout: 40_000 });
      // Same tab, no new login: the history the restarted server reads from its SQLite file is on the page.
      await go("Mirror");
      await page
        .getByRole("list", { name: "Stored items" })
        .getByRole("button", { name: `Delete ${ALPHA} 1.0.0 linux_amd64` })
        .waitFor();
      expect(await page.getByRole("heading", { name: "Signed out" }).count()).toBe(0);
    });

    it("deletes 1.0.0 after confirmation and collects the garbage it leaves", async () => {
      const list = page.getByRole("list", { name: "Stored items" });
      await list.getByRole("button", { name: `Delete ${ALPHA} 1.0.0 linux_amd64` }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
      await page.getByRole("dialog").waitFor({ state: "detached" });
      await list
        .getByRole("button", { name: `Delete ${ALPHA} 1.0.0 linux_amd64` })
        .waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Collect garbage…" }).click();
      const dialog = page.getByRole("dialog");
      const free = dialog.getByRole("button", { name: /^Free / });
      await free.waitFor();
      await free.click();
      await dialog
        .getByRole("status")
        .filter({ hasText: /^Freed / })
        .waitFor();
      expect((await clientOf(sender).collectGarbage(true)).blobs).toBe(0);
      await dialog.getByRole("button", { name: "Close" }).click();
      // 2.0.0 is untouched.
      await list.getByRole("button", { name: `Delete ${ALPHA} 2.0.0 linux_amd64` }).waitFor();
      await screenshot(page, "journey-6-after-gc");
    });

    it("exports everything as a browser download that larder bundle verify passes", async () => {
      await go("Bundles");
      const link = page.getByRole("link", { name: /Export everything/ });
      await link.waitFor();
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      await download.saveAs(bundleFile);
      expect((await stat(bundleFile)).size).toBeGreaterThan(0);
      const verified = await runLarder(["bundle", "verify", bundleFile]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toContain("terraform-provider-alpha_2.0.0_linux_amd64.zip");
      expect(verified.stdout).not.toContain("alpha_1.0.0");
      await page.getByRole("heading", { name: "Export finished" }).waitFor();
      await screenshot(page, "journey-7-exported");
    });

    it("imports the bundle into a second server through its Bundles page, with an explicit trust decision", async () => {
      const other = await signIn(await newContext(browser), receiver);
      await other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bundles" }).click();
      await other.getByLabel("Bundle file").setInputFiles(bundleFile);
      await other.getByRole("radio", { name: "Rely on the registry signatures inside the bundle" }).check();
      await other.getByRole("button", { name: "Import" }).click();
      await other.getByText(/Imported bundle .*: 1 provider package\(s\)/).waitFor({ timeout: 30_000 });
      await screenshot(other, "journey-8-imported");
      await other.context().close();
    });

    it.skipIf(!tofu.available)(
      "the second server's Connect config makes tofu init install the provider",
      async () => {
        const other = await signIn(await newContext(browser), receiver);
        await other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connect" }).click();
        const panel = other.getByRole("tabpanel", { name: "Host mode", exact: true });
        await panel.getByText("OpenTofu CLI configuration (host mode)").waitFor();
        const shown = await panel.locator("pre").innerText();
        expect(shown).toContain(receiver.serve.httpUrl);
        await screenshot(other, "journey-9-connect");
        await other.context().close();

        const dir = join(receiver.temp.path, "project");
        await mkdir(dir, { recursive: true });
        const config = join(receiver.temp.path, "shown.tofurc");
        await writeFile(config, shown);
        await writeFile(
          join(dir, "main.tf"),
          `terraform {\n  required_providers {\n    alpha = { source = "${ALPHA}", version = "2.0.0" }\n  }\n}\n`,
        );
        // The first server is stopped: only the bundle's copy on the second can answer.
        await sender.serve.stop();
        const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
        expect(init.code, init.output).toBe(0);
        expect(init.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v2\.0\.0/);
      },
    );
  },
);
