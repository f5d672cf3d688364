// The Mirror page in Debian's Chromium against a real larder serve: the empty state, the inventory tree after a
// mirror (host → provider → version → platform, size, signed, hashes), expand and collapse by keyboard, filters,
// delete with confirmation (and a delete that fails because the version went meanwhile), garbage collection that
// shows what it frees first, and the storage chart. Jobs are started through the typed admin client.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminApiError, AdminClient } from "../../shared/api-client.js";
import { formatBytes } from "../../renderer/components/format.js";
import {
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
  startUiServer,
  type UiServer,
} from "./ui-support.js";

const HOST = "registry.terraform.io";
const ALPHA = `${HOST}/fixture/alpha 2.0.0`;

let server: UiServer;
let browser: Browser;
let client: AdminClient;

beforeAll(async () => {
  server = await startUiServer("mirror");
  browser = await launchBrowser();
  const token = new URL(server.loginUrl).searchParams.get("token") ?? "";
  client = new AdminClient({ baseUrl: server.serve.httpUrl, token });
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function openMirror(
  scheme: "light" | "dark" = "light",
  size: { width?: number; height?: number } = {},
): Promise<Page> {
  const context = await newContext(browser, { colorScheme: scheme, ...size });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mirror" }).click();
  await page.getByRole("heading", { level: 1, name: "Mirror" }).waitFor();
  return page;
}

async function mirror(address: string, version: string, platforms: string[]): Promise<void> {
  const { id } = await client.startJob({ kind: "provider", address, versions: [version], platforms });
  await expect
    .poll(async () => (await client.job(id)).job.state.status, { timeout: 30_000 })
    .toBe("succeeded");
}

describe("Mirror page", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`says nothing is stored yet before anything is mirrored (${scheme})`, async () => {
      const page = await openMirror(scheme);
      await page.getByRole("heading", { name: "Nothing stored yet" }).waitFor();
      await screenshot(page, `mirror-empty-${scheme}`);
      await expectAccessible(page, `Mirror, empty (${scheme})`);
      await page.context().close();
    });
  }

  it("shows the tree host → fixture/alpha → 2.0.0 → linux_amd64 with size, signed and hashes", async () => {
    const page = await openMirror();
    await mirror(`${HOST}/fixture/alpha`, "2.0.0", ["linux_amd64"]);
    await mirror(`${HOST}/fixture/beta`, "0.4.0", ["linux_amd64", "linux_arm64"]);
    const list = page.getByRole("list", { name: "Stored items" });
    // The page refetches on the inventory event: no reload.
    await list.getByRole("button", { name: `Collapse ${ALPHA}` }).waitFor();
    const stored = (await client.inventory()).hosts.find((h) => h.host === HOST);
    const version = stored?.providers.find((p) => p.type === "alpha")?.versions[0];
    const platform = version?.platforms[0];
    if (!version || !platform) throw new Error("alpha 2.0.0 is not in the inventory");

    await list.getByRole("button", { name: `Collapse ${HOST}`, exact: true }).waitFor();
    await list.getByRole("button", { name: `Collapse ${HOST}/fixture/alpha`, exact: true }).waitFor();
    const versionRow = list
      .getByRole("listitem")
      .filter({ has: page.getByRole("button", { name: `Collapse ${ALPHA}` }) });
    expect(await versionRow.innerText()).toContain("Signed");
    const platformRow = list
      .getByRole("listitem")
      .filter({ has: page.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }) });
    expect(await platformRow.innerText()).toContain("linux_amd64");
    expect(await platformRow.innerText()).toContain(formatBytes(platform.size));
    expect(await platformRow.locator("code").allInnerTexts()).toEqual([platform.h1, platform.zh]);
    await platformRow.getByRole("button", { name: `Copy h1 hash of ${ALPHA} linux_amd64` }).click();
    await platformRow.getByText("Copied").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(platform.h1);
    // The host row names the clients it serves (none here: the test server runs with LARDER_CLIENTS="").
    expect(await list.getByRole("listitem").first().innerText()).toContain(HOST);

    // The storage chart renders, with the same numbers in a table for screen readers.
    await page.getByRole("img", { name: /^Storage by host: / }).waitFor();
    await page.getByRole("img", { name: /^Storage by provider and module: / }).waitFor();
    const table = page.getByRole("table", { name: "Storage by host and by provider or module" });
    expect(await table.getByRole("rowheader", { name: `${HOST}/fixture/alpha`, exact: true }).count()).toBe(
      1,
    );

    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByRole("img", { name: /^Storage by host: / }).waitFor();
      await screenshot(page, `mirror-filled-${scheme}`);
      // The shell scrolls its main area, not the page: bring the chart into the screenshot.
      await page.getByRole("main").evaluate((main) => {
        main.scrollTo(0, main.scrollHeight);
      });
      await screenshot(page, `mirror-chart-${scheme}`);
      await page.getByRole("main").evaluate((main) => {
        main.scrollTo(0, 0);
      });
      await expectAccessible(page, `Mirror, filled (${scheme})`);
    }
    await page.context().close();
  });

  it("collapses and expands rows by keyboard, and filters by text, kind and host", async () => {
    const page = await openMirror();
    const list = page.getByRole("list", { name: "Stored items" });
    await list.waitFor();
    const toggle = list.getByRole("button", { name: `Collapse ${ALPHA}` });
    await toggle.focus();
    await page.keyboard.press("Enter");
    const collapsed = list.getByRole("button", { name: `Expand ${ALPHA}` });
    expect(await collapsed.getAttribute("aria-expanded")).toBe("false");
    await list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }).waitFor({ state: "detached" });
    await page.keyboard.press("Space");
    await list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }).waitFor();

    const filter = page.getByRole("searchbox", { name: "Filter stored items" });
    await filter.fill("beta arm64");
    await list.getByRole("button", { name: `Delete ${HOST}/fixture/beta 0.4.0 linux_arm64` }).waitFor();
    expect(
      await list.getByRole("button", { name: `Delete ${HOST}/fixture/beta 0.4.0 linux_amd64` }).count(),
    ).toBe(0);
    expect(await list.getByRole("button", { name: /fixture\/alpha/ }).count()).toBe(0);
    await filter.fill("");
    await page.getByRole("combobox", { name: "Kind" }).selectOption("module");
    await page.getByText("Nothing stored matches this filter.").waitFor();
    await page.getByRole("combobox", { name: "Kind" }).selectOption("provider");
    await page.getByRole("combobox", { name: "Host" }).selectOption(HOST);
    await list.getByRole("button", { name: `Collapse ${ALPHA}` }).waitFor();
    await page.context().close();
  });

  it("fits at 1024×700: every row's delete and copy buttons stay inside the list", async () => {
    const page = await openMirror("light", { width: 1024, height: 700 });
    const list = page.getByRole("list", { name: "Stored items" });
    const copy = list.getByRole("button", { name: `Copy zh hash of ${ALPHA} linux_amd64` });
    await copy.waitFor();
    const box = await list.boundingBox();
    for (const button of [copy, list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` })]) {
      const inner = await button.boundingBox();
      expect(inner && box && inner.x + inner.width <= box.x + box.width).toBe(true);
    }
    await screenshot(page, "mirror-filled-1024-light");
    await page.context().close();
  });

  it("deletes after confirmation, and shows in full why a delete failed", async () => {
    const page = await openMirror();
    const list = page.getByRole("list", { name: "Stored items" });
    await list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("heading", { name: `Delete ${ALPHA} linux_amd64?` }).waitFor();
    await screenshot(page, "mirror-delete-light");
    await expectAccessible(page, "the delete confirmation");
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }).count()).toBe(1);

    await list.getByRole("button", { name: `Delete ${ALPHA} linux_amd64` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await list.getByRole("button", { name: `Collapse ${ALPHA}` }).waitFor({ state: "detached" });
    const alpha = (await client.inventory()).hosts[0]?.providers.find((p) => p.type === "alpha");
    expect(alpha).toBeUndefined();

    // Deleted elsewhere (a terminal) while the dialog was open: the dialog says why, in the API's words.
    const beta = {
      host: HOST,
      namespace: "fixture",
      type: "beta",
      version: "0.4.0",
      platform: "linux_arm64",
    };
    await list.getByRole("button", { name: `Delete ${HOST}/fixture/beta 0.4.0 linux_arm64` }).click();
    await client.deleteProvider(beta);
    const expected = await client.deleteProvider(beta).then(
      () => "",
      (error: unknown) => (error instanceof AdminApiError ? error.message : String(error)),
    );
    expect(expected).not.toBe("");
    await page.getByRole("dialog").getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => page.getByRole("dialog").getByRole("alert").innerText()).toBe(expected);
    await screenshot(page, "mirror-delete-failed-light");
    await page.getByRole("dialog").getByRole("button", { name: "Keep it" }).click();
    await page.context().close();
  });

  it("garbage collection shows the bytes it will free, then frees them", async () => {
    const plan = await client.collectGarbage(true);
    expect(plan.blobs).toBeGreaterThan(0);
    const page = await openMirror();
    await page.getByRole("button", { name: "Collect garbage…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(`This frees ${formatBytes(plan.bytes)} in ${plan.blobs} file`).waitFor();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `mirror-gc-${scheme}`);
      await expectAccessible(page, `the garbage collection dialog (${scheme})`);
    }
    await dialog.getByRole("button", { name: `Free ${formatBytes(plan.bytes)}` }).click();
    await dialog
      .getByRole("status")
      .filter({ hasText: `Freed ${formatBytes(plan.bytes)}` })
      .waitFor();
    expect((await client.collectGarbage(true)).blobs).toBe(0);
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.context().close();
  });
});
