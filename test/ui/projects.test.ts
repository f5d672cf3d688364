// The Projects page in Debian's Chromium against a real larder serve over the fixture registry (issue 16): the
// empty state, a typed path refused at its field, a folder added by path that is red with its missing items and
// their fix commands, Plan's items and bytes, Mirror followed to success until the badge turns green without a
// reload, a folder uploaded through the file input (and one with nothing usable), editing what a project is
// checked for, removing one (asked first), and the loading and error states. axe-core in light and dark.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminClient } from "../../shared/api-client.js";
import { formatBytes } from "../../renderer/components/format.js";
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

const TF = "registry.terraform.io";

let server: UiServer;
let browser: Browser;
let api: AdminClient;
/** A project on disk: host-less fixture/alpha and the registry module fixture/flat/fixture. */
let projectDir: string;
/** A folder to upload: configuration beside files init never reads. */
let uploadDir: string;
/** A folder with no configuration at all. */
let uselessDir: string;

/** The configuration of a root module that needs alpha (any version) and flat ~> 1.1.0 from the default host. */
const MAIN_TF = [
  `terraform {`,
  `  required_providers {`,
  `    alpha = { source = "fixture/alpha" }`,
  `  }`,
  `}`,
  ``,
  `module "flat" {`,
  `  source  = "fixture/flat/fixture"`,
  `  version = "~> 1.1.0"`,
  `}`,
  ``,
].join("\n");

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

beforeAll(async () => {
  server = await startUiServer("projects");
  browser = await launchBrowser();
  api = clientOf(server);
  projectDir = join(server.temp.path, "infra-live");
  await writeFiles(projectDir, { "main.tf": MAIN_TF });
  uploadDir = join(server.temp.path, "uploaded-app");
  await writeFiles(uploadDir, {
    "main.tf": `terraform {\n  required_providers {\n    alpha = { source = "fixture/alpha", version = "~> 2.0" }\n  }\n}\n`,
    "modules/net/net.tf.json": JSON.stringify({ output: { net: { value: "net" } } }),
    "README.md": "# uploaded-app\n",
    "scripts/apply.sh": "#!/bin/sh\nterraform apply\n",
    // What init caches and git keeps: never sent.
    ".terraform/modules/cached/main.tf": `output "cached" { value = 1 }\n`,
    ".git/HEAD": "ref: refs/heads/main\n",
  });
  uselessDir = join(server.temp.path, "just-docs");
  await writeFiles(uselessDir, { "README.md": "# docs\n", "notes.txt": "nothing to init here\n" });
}, 120_000);
afterAll(async () => {
  await browser.close();
  await server.stop();
});

async function openProjects(
  scheme: "light" | "dark" = "light",
  size: { width?: number; height?: number } = {},
) {
  const context = await newContext(browser, { colorScheme: scheme, ...size });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await signIn(context, server);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
  return page;
}

/** The id in a project page's URL. */
function projectIdOf(page: Page): number {
  const id = /\/projects\/(\d+)$/.exec(new URL(page.url()).pathname)?.[1];
  if (id === undefined) throw new Error(`not on a project's page: ${page.url()}`);
  return Number(id);
}

const statusCard = (page: Page) => page.getByRole("region", { name: /^(init|Larder cannot)/ });

describe("Projects page", { timeout: 180_000 }, () => {
  it("with no projects explains what a project is and how to add one (light and dark)", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const page = await openProjects(scheme);
      await page.getByRole("heading", { name: "No projects yet" }).waitFor();
      expect(await page.getByRole("status").filter({ hasText: "No projects yet" }).innerText()).toContain(
        "the folder you run terraform init in",
      );
      await page.getByRole("heading", { name: "Add a project" }).waitFor();
      // No desktop app here: the folder is typed, no native chooser.
      expect(await page.getByRole("button", { name: "Choose a folder…" }).count()).toBe(0);
      await page.getByRole("radio", { name: "A folder on the Larder machine" }).waitFor();
      await screenshot(page, `projects-empty-${scheme}`);
      await expectAccessible(page, `Projects, empty (${scheme})`);
      await page.context().close();
    }
  });

  it("refuses a relative path at the path field, with the server's reason", async () => {
    const page = await openProjects();
    const path = page.getByLabel("Project folder", { exact: true });
    await path.fill("infra/live");
    await page.getByRole("button", { name: "Add project" }).click();
    const error = page.locator("#project-path-error");
    await error.waitFor();
    expect(await error.innerText()).toContain("use an absolute path on the machine Larder runs on");
    expect(await path.getAttribute("aria-invalid")).toBe("true");
    // The message is the field's description, so a screen reader hears it with the field.
    expect(await path.getAttribute("aria-describedby")).toContain("project-path-error");
    expect(new URL(page.url()).pathname).toBe("/projects");
    await screenshot(page, "projects-field-error-light");
    await expectAccessible(page, "Projects, a refused path");
    expect((await api.projects()).projects).toEqual([]);
    await page.context().close();
  });

  let folderProject = 0;

  it("adds a folder by its path: red, with each missing item and the command that fixes it", async () => {
    const page = await openProjects();
    await page.getByLabel("Project folder", { exact: true }).fill(projectDir);
    await page.getByRole("button", { name: "Add project" }).click();
    await page.getByRole("heading", { level: 1, name: "infra-live" }).waitFor();
    folderProject = projectIdOf(page);
    const project = await api.project(folderProject);
    expect(project.status.state).toBe("missing");
    await statusCard(page)
      .getByText(/missing$/)
      .first()
      .waitFor();
    expect(await statusCard(page).innerText()).toMatch(/\d+ missing/);
    const missing = page.getByRole("region", { name: /^What is missing/ });
    const text = await missing.innerText();
    expect(text).toContain(`${TF}/fixture/alpha`);
    expect(text).toContain("fixture/flat/fixture");
    // Every fix the API gives is on the page, with a copy button.
    const fixes = project.checks.flatMap((check) =>
      [...check.providers, ...check.modules].flatMap((item) => (item.fix === null ? [] : [item.fix])),
    );
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of new Set(fixes)) expect(text).toContain(fix);
    expect(text).toMatch(/larder mirror provider \S*fixture\/alpha/);
    expect(text).toMatch(/larder mirror module \S*fixture\/flat\/fixture/);
    const copy = missing
      .getByRole("button", { name: /^Copy the command that mirrors .*fixture\/alpha/ })
      .first();
    await copy.click();
    await missing.getByText("Copied").waitFor();
    expect(fixes).toContain(await page.evaluate(() => navigator.clipboard.readText()));
    // The project's own mirror command, to run where the UI is not at hand.
    expect(await page.getByText(project.mirrorCommand, { exact: true }).count()).toBe(1);
    // The full check: providers with their platforms, registry modules.
    const checks = page.getByRole("region", { name: "What init installs" });
    await checks.getByRole("table", { name: "Providers" }).getByText(`${TF}/fixture/alpha`).waitFor();
    await checks
      .getByRole("table", { name: "Registry modules" })
      .getByRole("rowheader", { name: `${TF}/fixture/flat/fixture` })
      .waitFor();
    await screenshot(page, "projects-missing-light");
    await expectAccessible(page, "a project with missing items (light)");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "projects-missing-dark");
    await expectAccessible(page, "a project with missing items (dark)");

    // The list shows it red, with where it is and what it was checked for.
    await page.getByRole("link", { name: "All projects" }).click();
    const row = page.getByRole("listitem").filter({ hasText: "infra-live" });
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain(projectDir);
    expect(rowText).toMatch(/\d+ missing/);
    expect(rowText).toContain(project.checkedFor.platforms[0] ?? "?");
    await screenshot(page, "projects-list-missing-dark");
    await expectAccessible(page, "Projects list (dark)");
    await page.context().close();
  });

  it("plans: every item, stored or to download, and the bytes to download", async () => {
    const page = await openProjects();
    await page.getByRole("link", { name: "infra-live" }).click();
    await page.getByRole("button", { name: "Plan" }).click();
    const plan = page.getByRole("region", { name: "Plan" });
    await plan.getByText(/item\(s\):/).waitFor({ timeout: 60_000 });
    const expected = await api.planProject(folderProject);
    const summary = await plan.getByRole("status").innerText();
    expect(summary).toContain(`${expected.totals.items} item(s): ${expected.totals.stored} already stored`);
    expect(summary).toContain(formatBytes(expected.totals.bytesToDownload));
    expect(expected.totals.items - expected.totals.stored).toBeGreaterThan(0);
    const rows = plan.getByRole("table").getByRole("row");
    expect(await rows.count()).toBe(expected.items.length + 1);
    for (const item of expected.items) expect(await plan.innerText()).toContain(item.label);
    await screenshot(page, "projects-plan-light");
    await expectAccessible(page, "a project's plan (light)");
    // The smallest window the layout supports: tables scroll inside their cards, nothing spills out.
    await page.setViewportSize({ width: 1024, height: 700 });
    await screenshot(page, "projects-plan-1024-light");
    const main = page.getByRole("main");
    expect(await main.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    await page.context().close();
  });

  it("mirrors it as one job, follows the job, and turns green without a reload", async () => {
    const page = await openProjects("dark");
    await page.getByRole("link", { name: "infra-live" }).click();
    await page.getByRole("heading", { level: 1, name: "infra-live" }).waitFor();
    // A reload would drop this.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    await page.getByRole("button", { name: "Mirror", exact: true }).click();
    const started = page.getByRole("status").filter({ hasText: /Started job \d+/ });
    await started.waitFor();
    const jobId = Number(/Started job (\d+)/.exec(await started.innerText())?.[1]);
    await screenshot(page, "projects-mirror-started-dark");
    await started.getByText("It succeeded.").waitFor({ timeout: 90_000 });
    expect((await api.job(jobId)).job.state.status).toBe("succeeded");
    await statusCard(page).getByText("Works offline", { exact: true }).waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
    expect(await page.getByRole("region", { name: /^What is missing/ }).count()).toBe(0);
    expect((await api.project(folderProject)).status.state).toBe("ok");
    await screenshot(page, "projects-works-offline-dark");
    await expectAccessible(page, "a project that works offline (dark)");
    // The link goes to the job on Downloads.
    await started.getByRole("link", { name: "see Downloads" }).click();
    await page.getByRole("heading", { level: 1, name: "Downloads" }).waitFor();
    await page.getByText("Succeeded").first().waitFor();
    await page.context().close();
  });

  it("refuses the same folder twice, at the path field", async () => {
    const page = await openProjects("dark");
    await page.getByLabel("Project folder", { exact: true }).fill(projectDir);
    await page.getByRole("button", { name: "Add project" }).click();
    const error = page.locator("#project-path-error");
    await error.waitFor();
    expect(await error.innerText()).toContain(`is already the project "infra-live"`);
    await screenshot(page, "projects-field-error-dark");
    await expectAccessible(page, "Projects, the same folder twice (dark)");
    expect((await api.projects()).projects).toHaveLength(1);
    await page.context().close();
  });

  it("uploads a folder from the browser: only what init reads, and says what was skipped", async () => {
    const page = await openProjects();
    await page.getByRole("radio", { name: "Upload a folder from this browser" }).check();
    const input = page.getByLabel("Project folder", { exact: true });
    await input.setInputFiles(uploadDir);
    const summary = page.getByRole("status").filter({ hasText: "will be sent" });
    await summary.waitFor();
    const said = await summary.innerText();
    expect(said).toContain("2 file(s) of configuration from uploaded-app");
    expect(said).toContain("main.tf, modules/net/net.tf.json");
    expect(said).toMatch(/Skipped 2 other file\(s\) init does not read \(README\.md, scripts\/apply\.sh\)/);
    expect(said).toContain("2 file(s) under .terraform, .git");
    await screenshot(page, "projects-upload-chosen-light");
    await expectAccessible(page, "Projects, an upload chosen");
    await page.getByRole("button", { name: "Add project" }).click();
    await page.getByRole("heading", { level: 1, name: "uploaded-app" }).waitFor();
    const id = projectIdOf(page);
    const project = await api.project(id);
    expect(project.kind).toBe("upload");
    // alpha ~> 2.0 for this machine was mirrored for infra-live already.
    await statusCard(page).getByText("Works offline", { exact: true }).waitFor();
    await page.getByRole("link", { name: "All projects" }).click();
    await page.getByRole("listitem").filter({ hasText: "uploaded-app" }).waitFor();
    await page.getByRole("listitem").filter({ hasText: "infra-live" }).waitFor();
    await screenshot(page, "projects-list-light");
    await expectAccessible(page, "Projects list (light)");
    await page.context().close();
  });

  it("says so when the chosen folder has nothing init reads, and sends nothing", async () => {
    const page = await openProjects("dark");
    await page.getByRole("radio", { name: "Upload a folder from this browser" }).check();
    await page.getByLabel("Project folder", { exact: true }).setInputFiles(uselessDir);
    const refusal = page.getByRole("status").filter({ hasText: "No .tf or .tf.json file" });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('"just-docs"');
    expect(await refusal.innerText()).toMatch(/Skipped 2 other file\(s\)/);
    expect(await page.getByRole("button", { name: "Add project" }).isDisabled()).toBe(true);
    await screenshot(page, "projects-upload-nothing-dark");
    await expectAccessible(page, "Projects, an upload with nothing usable (dark)");
    await page.context().close();
  });

  it("edits what a project is checked for: a bad platform refused at its field, a good one checked at once", async () => {
    const page = await openProjects();
    await page.getByRole("link", { name: "infra-live" }).click();
    const form = page.getByRole("form", { name: "What it is checked for" });
    const platforms = form.getByLabel("Platforms", { exact: true });
    await platforms.fill("linux");
    await form.getByRole("button", { name: "Save" }).click();
    const error = form.locator("#edit-project-platforms-error");
    await error.waitFor();
    expect(await error.innerText()).toContain("use os_arch, for example linux_amd64");
    expect(await platforms.getAttribute("aria-invalid")).toBe("true");
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, "projects-edit-error-light");
    await expectAccessible(page, "a project's settings refused");
    // darwin_arm64 is not stored: the project turns red for it.
    await platforms.fill("linux_amd64, darwin_arm64");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("Saved and checked again.").waitFor();
    await statusCard(page)
      .getByText(/\d+ missing/)
      .waitFor();
    expect(await statusCard(page).innerText()).toContain("linux_amd64, darwin_arm64");
    const saved = await api.project(folderProject);
    expect(saved.platforms).toEqual(["linux_amd64", "darwin_arm64"]);
    expect(await page.getByRole("region", { name: /^What is missing/ }).innerText()).toContain(
      "darwin_arm64",
    );
    await page.context().close();
  });

  it("plans while the registries answer slowly, names an item a registry cannot give, and says a failure in full", async () => {
    const page = await openProjects();
    await page.getByRole("link", { name: "infra-live" }).click();
    await page.getByRole("heading", { level: 1, name: "infra-live" }).waitFor();
    // linux_arm64 is a platform fixture/alpha is not published for.
    const form = page.getByRole("form", { name: "What it is checked for" });
    await form.getByLabel("Platforms", { exact: true }).fill("linux_amd64, linux_arm64");
    await form.getByRole("button", { name: "Save" }).click();
    await form.getByText("Saved and checked again.").waitFor();

    server.fixture.delayAnswers("/v1/providers/fixture/alpha", 1500);
    try {
      await page.getByRole("button", { name: "Plan" }).click();
      const plan = page.getByRole("region", { name: "Plan" });
      await plan.getByText("Asking the registries what mirroring this project would fetch…").waitFor();
      expect(await page.getByRole("button", { name: "Planning…" }).isDisabled()).toBe(true);
      await screenshot(page, "projects-plan-running-light");
      await plan.getByText(/item\(s\):/).waitFor({ timeout: 60_000 });
    } finally {
      server.fixture.delayAnswers("/v1/providers/fixture/alpha", 0);
    }
    const expected = await api.planProject(folderProject);
    const refused = expected.items.filter((item) => item.refusal !== null);
    expect(refused.length).toBeGreaterThan(0);
    const plan = page.getByRole("region", { name: "Plan" });
    expect(await plan.getByRole("status").innerText()).toContain(`${refused.length} cannot be fetched`);
    for (const item of refused)
      await plan
        .getByText(item.refusal ?? "?", { exact: true })
        .first()
        .waitFor();
    await screenshot(page, "projects-plan-refused-light");
    await expectAccessible(page, "a plan with an item the registry cannot give");

    // Every registry answer about alpha fails from here on (the rule stays armed: the tests after this one ask
    // no registry): the plan's failure is shown as the server gave it.
    server.fixture.failNext("/v1/providers/fixture/alpha", 404, 1_000_000);
    await page.getByRole("button", { name: "Plan" }).click();
    const failure = page.getByRole("alert").filter({ hasText: "Could not plan:" });
    await failure.waitFor({ timeout: 60_000 });
    let message = "";
    await api.planProject(folderProject).catch((error: unknown) => {
      message = error instanceof Error ? error.message : String(error);
    });
    expect(message).not.toBe("");
    expect(await failure.innerText()).toBe(`Could not plan: ${message}`);
    await failure.scrollIntoViewIfNeeded();
    await screenshot(page, "projects-plan-failed-light");
    await expectAccessible(page, "a failed plan");
    await page.context().close();
  });

  it("says in full why a project cannot be read", async () => {
    const broken = join(server.temp.path, "half-written");
    await writeFiles(broken, { "main.tf": `terraform {\n  required_providers {\n    alpha = {\n` });
    const page = await openProjects("dark");
    await page.getByLabel("Project folder", { exact: true }).fill(broken);
    await page.getByRole("button", { name: "Add project" }).click();
    await page.getByRole("heading", { level: 1, name: "half-written" }).waitFor();
    const project = await api.project(projectIdOf(page));
    if (project.status.state !== "error") throw new Error(`expected an error, got ${project.status.state}`);
    await statusCard(page).getByText("Cannot be read", { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Mirror", exact: true }).isDisabled()).toBe(true);
    expect(await statusCard(page).getByRole("alert").innerText()).toBe(project.status.message);
    await screenshot(page, "projects-unreadable-dark");
    await expectAccessible(page, "a project that cannot be read (dark)");
    await page.getByRole("link", { name: "All projects" }).click();
    const row = page.getByRole("listitem").filter({ hasText: "half-written" });
    await row.getByText("Cannot be read", { exact: true }).waitFor();
    expect(await row.innerText()).toContain(project.status.message);
    await screenshot(page, "projects-list-unreadable-dark");
    await api.removeProject(project.id);
    await page.context().close();
  });

  it("removes a project only after asking", async () => {
    const page = await openProjects("dark");
    await page.getByRole("link", { name: "uploaded-app" }).click();
    await page.getByRole("heading", { level: 1, name: "uploaded-app" }).waitFor();
    const id = projectIdOf(page);
    await page.getByRole("button", { name: "Remove project" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove uploaded-app?" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain("deletes its uploaded copy");
    await screenshot(page, "projects-remove-dialog-dark");
    await expectAccessible(page, "the remove dialog (dark)");
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await api.projects()).projects.map((project) => project.id)).toContain(id);
    await page.getByRole("button", { name: "Remove project" }).click();
    await dialog.getByRole("button", { name: "Remove", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Projects" }).waitFor();
    await page.getByRole("listitem").filter({ hasText: "infra-live" }).waitFor();
    expect(await page.getByRole("listitem").filter({ hasText: "uploaded-app" }).count()).toBe(0);
    expect((await api.projects()).projects.map((project) => project.id)).not.toContain(id);
    // Its page is gone too.
    await page.goto(`${server.serve.httpUrl}/projects/${id}`);
    await page.getByRole("heading", { name: "No such project" }).waitFor();
    await screenshot(page, "projects-not-found-dark");
    await page.context().close();
  });

  it("shows loading while the projects are checked, and a failed load in full with a retry", async () => {
    // A tab that has not loaded Projects yet: its first load is held, then fails. The stand-in is the network
    // answer; the page and the server are real.
    const context = await newContext(browser);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await context.route("**/api/projects", async (route) => {
      await held;
      await route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ errors: ["the database is locked by another process (try again)"] }),
      });
    });
    const page = await signIn(context, server);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
    await page.getByRole("status").filter({ hasText: "Loading projects" }).waitFor();
    await screenshot(page, "projects-loading-light");
    release();
    const alert = page.getByRole("alert").filter({ hasText: "Could not load the projects" });
    await alert.waitFor();
    expect(await alert.innerText()).toContain("the database is locked by another process (try again)");
    await screenshot(page, "projects-error-light");
    await expectAccessible(page, "Projects, a failed load");
    await context.unroute("**/api/projects");
    await alert.getByRole("button", { name: "Try again" }).click();
    await page.getByRole("listitem").filter({ hasText: "infra-live" }).waitFor();
    await context.close();
  });

  it("keeps the list while the connection is lost, and follows changes again once the server is back", async () => {
    const page = await openProjects("dark");
    await page.getByRole("listitem").filter({ hasText: "infra-live" }).waitFor();
    await server.serve.stop();
    await page.getByText(/Connection lost — reconnecting/).waitFor({ timeout: 15_000 });
    expect(await page.getByRole("listitem").filter({ hasText: "infra-live" }).count()).toBe(1);
    await screenshot(page, "projects-connection-lost-dark");
    await expectAccessible(page, "Projects with the connection lost (dark)");
    await server.restart();
    await page.getByText(/Connection lost/).waitFor({ state: "detached", timeout: 40_000 });
    // A project added elsewhere (a script, another window) arrives through the events: no reload.
    await clientOf(server).addProject({ kind: "folder", path: uploadDir, name: "added-by-a-script" });
    await page.getByRole("listitem").filter({ hasText: "added-by-a-script" }).waitFor({ timeout: 15_000 });
    await page.context().close();
  });
});
