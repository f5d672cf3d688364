import { join } from "node:path";
import { chromium } from "playwright-core";
import { startFixtureUpstream } from "../../fixtures/upstream/index.js";
import { startLarderServe } from "../../helpers/larder-cli.js";
import { CHROMIUM } from "../../ui/ui-support.js";
import type { BenchContext } from "../context.js";
import { percentile } from "../stats.js";
import type { BenchRow } from "../table.js";

const SECTION = "ui";
const ROUNDS = 15;

function row(metric: string, value: number | undefined): BenchRow {
  return {
    section: SECTION,
    metric,
    unit: "ms",
    larder: value,
    baseline: undefined,
    baselineName: "",
    target: "",
    met: undefined,
  };
}

/**
 * Time to first render of Browse and Mirror from a warm server: a navigation to the page's URL in Debian's
 * Chromium until its h1 is painted, with the browser cache warm (as a person reopening the page), p50 and p95
 * of ROUNDS rounds after one warm-up each.
 */
export async function benchUiRender(context: BenchContext): Promise<BenchRow[]> {
  const fixture = await startFixtureUpstream();
  const dataDir = join(context.workDir, "ui-render");
  const serve = await startLarderServe(
    [
      "--data-dir",
      dataDir,
      "--port",
      "0",
      "--https-port",
      "0",
      "--upstream",
      `registry.terraform.io=${fixture.url}`,
    ],
    { LARDER_CLIENTS: "" },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
  try {
    const login = /Admin: (\S+)/.exec(serve.stdout())?.[1];
    if (login === undefined) throw new Error("larder serve printed no login URL");
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(login);
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    const rows: BenchRow[] = [];
    for (const name of ["browse", "mirror"]) {
      const samples: number[] = [];
      for (let round = 0; round <= ROUNDS; round++) {
        const started = performance.now();
        await page.goto(`${serve.httpUrl}/${name}`);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        if (round > 0) samples.push(performance.now() - started);
      }
      const label = name === "browse" ? "Browse" : "Mirror";
      rows.push(row(`${label}: first render p50`, percentile(samples, 50)));
      rows.push(row(`${label}: first render p95`, percentile(samples, 95)));
      context.log(`ui ${name}: ${samples.map((ms) => ms.toFixed(0)).join(" ")} ms`);
    }
    return rows;
  } finally {
    await browser.close();
    await serve.stop();
    await fixture.stop();
  }
}
