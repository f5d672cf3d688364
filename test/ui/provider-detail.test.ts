// Provider and module detail in Debian's Chromium against a real larder serve over the fixture registry: the
// version × platform matrix with this machine's platform ticked, constraint highlighting and a bad constraint's
// message, Mirror starting a job (seen in the UI and through the API) until the version shows as stored with its
// lock-file hashes; a module's README, dependencies and Mirror; an unknown module's error. Light and dark.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "../../shared/api-client.js";
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
let api: AdminClient;

beforeAll(async () => {
  server = await startUiServer("provider-detail");
  browser = await launchBrowser();
  api = new AdminClient({
    baseUrl: server.serve.httpUrl,
    token: new URL(server.loginUrl).searchParams.get("token") ?? "",
  });
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

const ALPHA = "/providers/registry.terraform.io/fixture/alpha";
const CALLER = "/modules/registry.terraform.io/fixture/caller/fixture";

/** Dark runs at the 1024×700 floor the layout must work at; light at the default size. */
async function open(scheme: "light" | "dark", path: string, title: string): Promise<Page> {
  const context = await newContext(
    browser,
    scheme === "dark" ? { colorScheme: scheme, width: 1024, height: 700 } : { colorScheme: scheme },
  );
  const page = await signIn(context, server);
  await page.goto(`${server.serve.httpUrl}${path}`);
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  return page;
}

const row = (page: Page, version: string) =>
  page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: version, exact: true }) });

describe("Provider detail", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`shows versions × platforms with this machine's platform ticked, and highlights a constraint (${scheme})`, async () => {
      const page = await open(scheme, ALPHA, "fixture/alpha");
      const matrix = page.getByRole("region", { name: "Version and platform matrix" });
      await matrix.waitFor();
      for (const version of ["1.0.0", "1.1.0", "2.0.0"])
        await page.getByRole("checkbox", { name: version, exact: true }).waitFor();
      expect(await page.getByRole("checkbox", { name: "linux_amd64" }).isChecked()).toBe(true);
      expect(await page.getByRole("checkbox", { name: "darwin_arm64" }).isChecked()).toBe(false);
      expect(await row(page, "1.0.0").innerText()).toMatch(/available/);
      await screenshot(page, `provider-matrix-${scheme}`);
      await expectAccessible(page, `provider matrix (${scheme})`);

      await page.getByRole("textbox", { name: "Version constraint" }).fill("~> 1.0");
      await page.getByText("2 versions match.").waitFor();
      await expect.poll(() => new URL(page.url()).searchParams.get("constraint")).toBe("~> 1.0");
      expect(await row(page, "1.1.0").innerText()).toMatch(/matches/);
      expect(await row(page, "1.0.0").innerText()).toMatch(/matches/);
      expect(await row(page, "2.0.0").innerText()).not.toMatch(/matches/);
      await screenshot(page, `provider-constraint-${scheme}`);
      await expectAccessible(page, `provider constraint (${scheme})`);

      // A constraint the server cannot read: its message by the input, the versions stay.
      await page.getByRole("textbox", { name: "Version constraint" }).fill("=> 1");
      const problem = page.getByRole("alert").filter({ hasText: /constraint|version/i });
      await problem.waitFor();
      expect(
        await page.getByRole("textbox", { name: "Version constraint" }).getAttribute("aria-invalid"),
      ).toBe("true");
      await page.getByRole("checkbox", { name: "2.0.0", exact: true }).waitFor();
      expect(await row(page, "1.1.0").innerText()).not.toMatch(/matches/);
      await screenshot(page, `provider-bad-constraint-${scheme}`);
      await expectAccessible(page, `provider bad constraint (${scheme})`);
      await page.context().close();
    });
  }

  it("mirrors a ticked version on a ticked platform: a job starts, then the version shows stored with its hashes", async () => {
    const page = await open("light", ALPHA, "fixture/alpha");
    const mirror = page.getByRole("button", { name: "Mirror", exact: true });
    await mirror.waitFor();
    expect(await mirror.isDisabled()).toBe(true);
    await page.getByRole("checkbox", { name: "1.1.0", exact: true }).check();
    await page.getByRole("checkbox", { name: "darwin_arm64" }).check();
    await page.getByText(/1 version × 2 platforms: 2 packages/).waitFor();
    // The registry is asked what the ticked packages weigh.
    await page.getByText(/2 packages, \d+(\.\d)? (B|kB)/).waitFor({ timeout: 15_000 });
    await mirror.click();
    const started = page.getByRole("status").filter({ hasText: /Started job \d+/ });
    await started.waitFor();
    const id = Number(/Started job (\d+)/.exec(await started.innerText())?.[1]);
    const { job } = await api.job(id);
    expect(job.kind).toBe("mirror-provider");
    expect(job.what).toContain("alpha");
    await screenshot(page, "provider-started-light");

    // The inventory event marks the cells stored; the lock-file entry appears with its copy button.
    await expect
      .poll(async () => (await api.job(id)).job.state.status, { timeout: 60_000 })
      .toBe("succeeded");
    await expect.poll(() => row(page, "1.1.0").innerText(), { timeout: 15_000 }).toMatch(/stored/);
    await page.getByRole("button", { name: "Copy lock-file hashes for 1.1.0" }).waitFor();
    expect(await page.getByRole("region", { name: "Lock-file hashes" }).innerText()).toMatch(
      /h1:.*\n[\s\S]*zh:/,
    );
    await page.getByRole("link", { name: "see Downloads" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/downloads");
    await page.goBack();
    await page.getByRole("button", { name: "Copy lock-file hashes for 1.1.0" }).waitFor();
    await screenshot(page, "provider-stored-light");
    await expectAccessible(page, "provider stored (light)");
    await page.context().close();

    const dark = await open("dark", ALPHA, "fixture/alpha");
    await dark.getByRole("button", { name: "Copy lock-file hashes for 1.1.0" }).waitFor();
    await screenshot(dark, "provider-stored-dark");
    await expectAccessible(dark, "provider stored (dark)");
    await dark.context().close();
  });
});

describe("Module detail", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`shows the README (sanitised), dependencies and inputs, and mirrors a version (${scheme})`, async () => {
      const page = await open(scheme, CALLER, "fixture/caller/fixture");
      const readme = page.getByRole("region", { name: "README" });
      await readme.getByText("As the registry renders it.").waitFor();
      // The README's own "# caller" sits below the page's one h1.
      expect(await page.getByRole("heading", { level: 1 }).count()).toBe(1);
      await readme.getByRole("heading", { name: "caller" }).waitFor();
      const deps = page.getByRole("region", { name: "Dependencies" });
      expect(await deps.innerText()).toContain("fixture/flat/fixture");
      await page
        .getByRole("region", { name: "Inputs and outputs" })
        .getByText("greeting", { exact: true })
        .waitFor();
      expect(await page.getByRole("combobox", { name: "Docs for version" }).inputValue()).toBe("1.0.0");
      await screenshot(page, `module-readme-${scheme}`);
      await expectAccessible(page, `module detail (${scheme})`);
      if (scheme === "light") {
        await page.getByRole("checkbox", { name: "1.0.0", exact: true }).check();
        await page.getByRole("button", { name: "Mirror", exact: true }).click();
        const started = page.getByRole("status").filter({ hasText: /Started job \d+/ });
        await started.waitFor();
        const id = Number(/Started job (\d+)/.exec(await started.innerText())?.[1]);
        expect((await api.job(id)).job.kind).toBe("mirror-module");
        await screenshot(page, "module-started-light");
      }
      await page.context().close();
    });

    it(`says in full when a module does not exist (${scheme})`, async () => {
      const page = await open(
        scheme,
        "/modules/registry.terraform.io/fixture/nothing/fixture",
        "fixture/nothing/fixture",
      );
      const alert = page.getByRole("alert").filter({ hasText: "Could not load this module" });
      await alert.waitFor();
      await alert.getByRole("button", { name: "Try again" }).waitFor();
      await screenshot(page, `module-error-${scheme}`);
      await expectAccessible(page, `module error (${scheme})`);
      await page.context().close();
    });
  }
});
