import { join } from "node:path";
import { chromium } from "playwright-core";
import type { DiskUsage, Inventory } from "../../../shared/api/inventory.js";
import { startLarderServe } from "../../helpers/larder-cli.js";
import type { BenchContext } from "../context.js";
import { percentile } from "../stats.js";
import type { BenchRow } from "../table.js";

const SECTION = "ui";
const CHROMIUM = process.env.LARDER_CHROMIUM ?? "/usr/bin/chromium";
const PROVIDERS = 200;
const VERSIONS = 10;
const PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_arm64", "windows_amd64"];
const FRAMES = 240;
const FRAME_TARGET_MS = 33;

/** 200 providers × 10 versions × 4 platforms: 10,201 rows once flattened (host, providers, versions, platforms). */
function syntheticInventory(): { inventory: Inventory; usage: DiskUsage } {
  const hex = (n: number): string => n.toString(16).padStart(64, "0");
  const providers = Array.from({ length: PROVIDERS }, (_, p) => ({
    namespace: `bench${p % 20}`,
    type: `provider${p}`,
    bytes: VERSIONS * PLATFORMS.length * 25_000_000,
    versions: Array.from({ length: VERSIONS }, (_, v) => ({
      version: `${v + 1}.0.0`,
      signed: v % 7 !== 0,
      keyId: v % 7 !== 0 ? "4A686F2113617252" : null,
      bytes: PLATFORMS.length * 25_000_000,
      platforms: PLATFORMS.map((platform, i) => {
        const [os = "", arch = ""] = platform.split("_");
        return {
          os,
          arch,
          filename: `terraform-provider-provider${p}_${v + 1}.0.0_${platform}.zip`,
          size: 25_000_000,
          sha256: hex(p * 1000 + v * 10 + i),
          h1: `h1:${Buffer.from(`${p}-${v}-${i}`).toString("base64")}=`,
          zh: `zh:${hex(p * 1000 + v * 10 + i)}`,
        };
      }),
    })),
  }));
  const total = providers.reduce((sum, provider) => sum + provider.bytes, 0);
  const host = "registry.terraform.io";
  return {
    inventory: {
      totalBytes: total,
      hosts: [{ host, clients: ["terraform"], bytes: total, providers, modules: [] }],
    },
    usage: {
      totalBytes: total,
      unreferencedBytes: 0,
      onDiskBytes: total,
      hosts: [
        {
          host,
          bytes: total,
          providers: providers.map((p) => ({ address: `${host}/${p.namespace}/${p.type}`, bytes: p.bytes })),
          modules: [],
        },
      ],
    },
  };
}

function row(metric: string, unit: string, value: number | undefined, target = "", met?: boolean): BenchRow {
  return {
    section: SECTION,
    metric,
    unit,
    larder: value,
    baseline: undefined,
    baselineName: "",
    target,
    met,
  };
}

/**
 * The Mirror page in Debian's Chromium against a real `larder serve` (sign-in, events, the built UI), with the
 * inventory answers replaced by a synthetic 10,201-row one (storing that much for real would take the whole run):
 * time from navigation to the first rows, and frame times while scrolling the list top to bottom.
 */
export async function benchUiInventory(context: BenchContext): Promise<BenchRow[]> {
  const { inventory, usage } = syntheticInventory();
  const serve = await startLarderServe([
    ...["--data-dir", join(context.workDir, "ui-data"), "--port", "0", "--https-port", "0", "--offline"],
  ]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], headless: true });
  try {
    const login = /Admin: (\S+)/.exec(serve.stdout())?.[1];
    if (login === undefined) throw new Error(`larder serve printed no login URL: ${serve.stdout()}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route("**/api/inventory", (route) => route.fulfill({ json: inventory }));
    await page.route("**/api/inventory/usage", (route) => route.fulfill({ json: usage }));
    await page.goto(login);
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    const start = performance.now();
    await page.getByRole("link", { name: "Mirror" }).click();
    await page
      .getByRole("button", { name: "Collapse registry.terraform.io/bench0/provider0 1.0.0" })
      .waitFor();
    const firstRowsMs = performance.now() - start;
    const rows = await page
      .getByRole("list", { name: "Stored items" })
      .getByRole("listitem")
      .first()
      .getAttribute("aria-setsize");
    context.log(`Mirror page shows ${rows ?? "?"} rows`);
    const scroll = (step: number | null): Promise<number[]> =>
      page.evaluate(
        async ({ count, step }) => {
          const scroller = document.querySelector<HTMLElement>('[data-testid="inventory-scroller"]');
          if (!scroller) throw new Error("no inventory scroller");
          scroller.scrollTop = 0;
          const pixels = step ?? (scroller.scrollHeight - scroller.clientHeight) / count;
          const deltas: number[] = [];
          let last = performance.now();
          for (let frame = 0; frame < count; frame += 1) {
            scroller.scrollTop = pixels * (frame + 1);
            await new Promise((resolve) => requestAnimationFrame(resolve));
            const now = performance.now();
            deltas.push(now - last);
            last = now;
          }
          return deltas;
        },
        { count: FRAMES, step },
      );
    const figures = (name: string, frames: number[]): BenchRow[] => {
      const p95 = percentile(frames, 95);
      const met = p95 !== undefined && p95 < FRAME_TARGET_MS;
      const slow = frames.filter((d) => d > FRAME_TARGET_MS).length;
      return [
        row(`${name}: frame p50`, "ms", percentile(frames, 50)),
        row(`${name}: frame p95`, "ms", p95, `p95 < ${FRAME_TARGET_MS} ms`, met),
        row(`${name}: frames over ${FRAME_TARGET_MS} ms`, "frames", slow),
      ];
    };
    // A mouse wheel moves about 120 px a frame; the jump crosses all rows in 240 frames (every frame new rows).
    const wheel = await scroll(120);
    const jump = await scroll(null);
    return [
      row(`Mirror first rows (${rows ?? "?"} rows, warm server)`, "ms", firstRowsMs),
      ...figures("scroll 120 px a frame", wheel),
      ...figures(`scroll all ${rows ?? "?"} rows in ${FRAMES} frames`, jump),
    ];
  } finally {
    await browser.close();
    await serve.stop();
  }
}
