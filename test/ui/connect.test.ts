// The Connect page in Chromium against a real larder serve with a provider stored: the tofu host-mode config is
// shown and copies exactly, the connection test passes and shows every check, and the config as shown works:
// the real `tofu init` installs the stored provider through it. Failure: the test while the server is down.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTofu, tofuAvailability } from "../helpers/tofu.js";
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

const tofu = tofuAvailability();
let server: UiServer;
let browser: Browser;

beforeAll(async () => {
  server = await startUiServer("connect");
  browser = await launchBrowser();
  await storeAlpha(server);
}, 120_000);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function openConnect(scheme: "light" | "dark"): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connect" }).click();
  await page.getByRole("heading", { level: 1, name: "Connect" }).waitFor();
  return page;
}

describe("Connect page", { timeout: 180_000 }, () => {
  let shownConfig = "";

  it("shows the tofu host-mode config and copies it exactly (light and dark)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await openConnect(scheme);
      expect(await page.getByRole("tab", { name: "OpenTofu" }).getAttribute("aria-selected")).toBe("true");
      const panel = page.getByRole("tabpanel", { name: "Host mode", exact: true });
      await panel.getByText("OpenTofu CLI configuration (host mode)").waitFor();
      shownConfig = await panel.locator("pre").innerText();
      expect(shownConfig).toContain(`host "registry.terraform.io"`);
      expect(shownConfig).toContain(server.serve.httpUrl);
      await panel.getByRole("button", { name: "Copy the OpenTofu host mode configuration" }).click();
      await panel.getByText("Copied").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shownConfig);
      expect(await panel.innerText()).toContain("~/.tofurc");
      expect(await panel.innerText()).toContain("%APPDATA%\\tofu.rc");
      await screenshot(page, `connect-host-${scheme}`);
      await expectAccessible(page, `Connect, host mode (${scheme})`);
      // Network mirror mode, and terraform's file names.
      await page.getByRole("tab", { name: "Network mirror" }).first().click();
      await page.getByText("OpenTofu CLI configuration (network mirror)").waitFor();
      await page.getByRole("heading", { name: "Linux" }).waitFor();
      await page.getByRole("button", { name: "Copy Linux step 1" }).waitFor();
      await screenshot(page, `connect-network-mirror-${scheme}`);
      await page.getByRole("tab", { name: "Terraform" }).click();
      const terraform = page.getByRole("tabpanel", { name: "Host mode", exact: true });
      await terraform.getByText("Terraform CLI configuration (host mode)").waitFor();
      expect(await terraform.innerText()).toContain("%APPDATA%\\terraform.rc");
      await expectAccessible(page, `Connect, terraform (${scheme})`);
      await page.context().close();
    }
  });

  it("runs the connection test and shows every check in full", async () => {
    const page = await openConnect("light");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByRole("heading", { name: "Connection test passed" }).waitFor();
    const text = await page
      .getByRole("heading", { name: "Connection test passed" })
      .locator("..")
      .innerText();
    for (const check of ["HTTP discovery", "HTTPS with Larder's CA", "Network mirror"])
      expect(text).toContain(check);
    expect(text).toMatch(/\/providers\/registry\.terraform\.io\/fixture\/alpha\/index\.json/);
    await screenshot(page, "connect-test-passed-light");
    await expectAccessible(page, "Connect, test passed (light)");
    await page.context().close();
  });

  it.skipIf(!tofu.available)(
    "the config as shown works: tofu init installs the stored provider",
    async () => {
      expect(shownConfig).not.toBe("");
      const dir = join(server.temp.path, "tofu-project");
      await mkdir(dir, { recursive: true });
      const config = join(server.temp.path, "shown.tofurc");
      await writeFile(config, shownConfig);
      await writeFile(
        join(dir, "main.tf"),
        `terraform {\n  required_providers {\n    alpha = { source = "registry.terraform.io/fixture/alpha", version = "2.0.0" }\n  }\n}\n`,
      );
      const init = await runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile: config });
      expect(init.code, init.output).toBe(0);
      expect(init.output).toMatch(/Installed registry\.terraform\.io\/fixture\/alpha v2\.0\.0/);
    },
  );

  it("says in full why the test could not run while the server is down", async () => {
    const page = await openConnect("dark");
    await page.getByRole("tabpanel").first().waitFor();
    await server.serve.stop();
    await page.getByRole("button", { name: "Test connection" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "The test could not run" });
    await alert.waitFor();
    expect(await alert.innerText()).toContain("Larder is not reachable");
    await screenshot(page, "connect-test-failed-dark");
    await page.context().close();
    await server.restart();
  });
});
