// The Bundles page in Chromium against real larder serve processes: export everything as a browser download
// (checked by the real `larder bundle verify`), verify it with a per-entry report and import it into a second
// mirror through its page with the "rely on the registry signatures" decision, a garbage file's clear refusal.
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminClient } from "../../shared/api-client.js";
import { runLarder } from "../helpers/larder-cli.js";
import { clientOf, storeAlpha } from "./ops-support.js";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startUiServer,
  type UiServer,
} from "./ui-support.js";

let sender: UiServer;
let receiver: UiServer;
let browser: Browser;
let api: AdminClient;
let bundleFile: string;

beforeAll(async () => {
  [sender, receiver] = await Promise.all([
    startUiServer("bundles-sender"),
    startUiServer("bundles-receiver"),
  ]);
  browser = await launchBrowser();
  api = await storeAlpha(sender);
  bundleFile = join(sender.temp.path, "everything.tar");
}, 120_000);
afterAll(async () => {
  await browser.close();
  await Promise.all([sender.stop(), receiver.stop()]);
});

async function openBundles(
  server: UiServer,
  scheme: "light" | "dark" = "light",
  size: { width?: number; height?: number } = {},
): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme, ...size });
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bundles" }).click();
  await page.getByRole("heading", { level: 1, name: "Bundles" }).waitFor();
  return page;
}

describe("Bundles page", { timeout: 120_000 }, () => {
  it("with nothing stored says so, with an empty history (light and dark)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await openBundles(receiver, scheme);
      await page.getByRole("heading", { name: "Nothing stored to export yet" }).waitFor();
      await page.getByRole("heading", { name: "No bundles yet" }).waitFor();
      expect(await page.getByRole("link", { name: /Export everything/ }).count()).toBe(0);
      await screenshot(page, `bundles-empty-${scheme}`);
      await expectAccessible(page, `Bundles, empty (${scheme})`);
      await page.context().close();
    }
  });

  it("exports everything as a browser download of the exact size shown; larder bundle verify passes it", async () => {
    const page = await openBundles(sender);
    const plan = await api.planExport({});
    const link = page.getByRole("link", { name: /Export everything/ });
    await link.waitFor();
    await page.getByText(/Exact size:/).waitFor();
    await screenshot(page, "bundles-filled-light");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    await download.saveAs(bundleFile);
    expect((await stat(bundleFile)).size).toBe(plan.tarBytes);
    expect(download.suggestedFilename()).toMatch(/^larder-.*\.tar$/);
    const verified = await runLarder(["bundle", "verify", bundleFile]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    // The download is in the history, and the progress card says it finished.
    await page.getByRole("heading", { name: "Export finished" }).waitFor();
    await page.getByRole("table", { name: "Bundle history" }).getByText("Exported").waitFor();
    await screenshot(page, "bundles-exported-light");
    await expectAccessible(page, "Bundles after an export (light)");
    await page.context().close();
  });

  it("sizes a selection before writing it, and incremental since the earlier bundle has nothing new (dark, 1024×700)", async () => {
    const page = await openBundles(sender, "dark", { width: 1024, height: 700 });
    await page.getByRole("radio", { name: "A selection" }).check();
    await page.getByRole("checkbox", { name: "registry.terraform.io/fixture/alpha" }).check();
    await page.getByRole("checkbox", { name: "linux_amd64" }).check();
    const expected = await api.planExport({ providers: ["registry.terraform.io/fixture/alpha"] });
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Exact size" }).innerText())
      .toContain(`${expected.providerPackages} provider package(s)`);
    await screenshot(page, "bundles-selection-dark");
    await expectAccessible(page, "Bundles, a selection (dark)");
    await page.getByRole("radio", { name: /new since an earlier bundle/ }).check();
    const [earlier] = (await api.bundles()).bundles;
    await page.getByLabel("Earlier bundle", { exact: true }).selectOption(earlier?.id ?? "");
    await page.getByText(/Nothing to export: everything selected is already in bundle/).waitFor();
    expect(await page.getByRole("button", { name: "Download bundle" }).isDisabled()).toBe(true);
    await screenshot(page, "bundles-incremental-nothing-dark");
    await page.context().close();
  });

  it("verifies the downloaded bundle in a second mirror with a per-entry report", async () => {
    const page = await openBundles(receiver);
    await page.getByLabel("Bundle file").setInputFiles(bundleFile);
    await page.getByRole("button", { name: "Verify" }).click();
    const report = page.getByRole("region", { name: "Verify report" });
    await report.getByText(/verified: all \d+ entries pass/).waitFor();
    const rows = report.getByRole("row");
    expect(await rows.count()).toBeGreaterThan(2);
    expect(await report.getByText("failed", { exact: true }).count()).toBe(0);
    expect(await report.innerText()).toContain("terraform-provider-alpha_2.0.0_linux_amd64.zip");
    await report.scrollIntoViewIfNeeded();
    await screenshot(page, "bundles-verified-light");
    await expectAccessible(page, "Bundles, verify report (light)");
    await page.context().close();
  });

  it("imports it only after an explicit trust decision, warning like the CLI; the inventory has it", async () => {
    const page = await openBundles(receiver, "dark");
    await page.getByLabel("Bundle file").setInputFiles(bundleFile);
    const importButton = page.getByRole("button", { name: "Import" });
    expect(await importButton.isDisabled()).toBe(true);
    await page.getByRole("radio", { name: "Rely on the registry signatures inside the bundle" }).check();
    const warning = page.getByRole("note");
    await warning.waitFor();
    expect(await warning.innerText()).toContain("whoever could change the file could re-sign them");
    await warning.scrollIntoViewIfNeeded();
    await screenshot(page, "bundles-trust-warning-dark");
    await expectAccessible(page, "Bundles, trust warning (dark)");
    await importButton.click();
    await page.getByText(/Imported bundle .*: 1 provider package\(s\)/).waitFor();
    const inventory = await clientOf(receiver).inventory();
    const tf = inventory.hosts.find((host) => host.host === "registry.terraform.io");
    expect(tf?.providers.map((provider) => `${provider.namespace}/${provider.type}`)).toEqual([
      "fixture/alpha",
    ]);
    await page.getByRole("table", { name: "Bundle history" }).getByText("Imported").waitFor();
    await page.getByRole("table", { name: "Bundle history" }).scrollIntoViewIfNeeded();
    await screenshot(page, "bundles-imported-dark");
    await page.context().close();
  });

  it("says clearly that a garbage file is not a bundle, importing nothing", async () => {
    const garbage = join(receiver.temp.path, "garbage.tar");
    await writeFile(garbage, Buffer.from("this is not a tar file at all\n".repeat(40)));
    const page = await openBundles(receiver);
    await page.getByLabel("Bundle file").setInputFiles(garbage);
    await page.getByRole("button", { name: "Verify" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Could not verify" });
    await alert.waitFor();
    expect((await alert.innerText()).length).toBeGreaterThan("Could not verify: ".length + 10);
    await page.getByRole("radio", { name: "Rely on the registry signatures inside the bundle" }).check();
    await page.getByRole("button", { name: "Import" }).click();
    const refused = page.getByRole("alert").filter({ hasText: "Import refused" });
    await refused.waitFor();
    await refused.scrollIntoViewIfNeeded();
    await screenshot(page, "bundles-garbage-light");
    await expectAccessible(page, "Bundles, a garbage upload (light)");
    const history = await clientOf(receiver).bundles();
    expect(history.bundles.filter((record) => record.direction === "import")).toHaveLength(1);
    await page.context().close();
  });
});
