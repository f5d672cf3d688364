// Renders the app's icons from their SVG sources in resources/ with Debian's Chromium, in every size the
// packaging targets need: icon.png (1024, from which electron-builder makes the .icns and .ico), icons/NxN.png
// for Linux desktops, and the tray images. Run after editing an SVG: `node --import tsx scripts/render-icons.ts`.
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const resources = join(dirname(fileURLToPath(import.meta.url)), "..", "resources");
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

const outputs: { source: string; size: number; file: string }[] = [
  { source: "icon.svg", size: 1024, file: "icon.png" },
  ...LINUX_SIZES.map((size) => ({ source: "icon.svg", size, file: `icons/${size}x${size}.png` })),
  // Windows and Linux trays show the colored tile; macOS's menu bar wants a black template it tints itself.
  { source: "icon.svg", size: 32, file: "tray/tray.png" },
  { source: "icon.svg", size: 64, file: "tray/tray@2x.png" },
  { source: "tray/tray.svg", size: 16, file: "tray/trayTemplate.png" },
  { source: "tray/tray.svg", size: 32, file: "tray/trayTemplate@2x.png" },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
try {
  const page = await browser.newPage();
  await mkdir(join(resources, "icons"), { recursive: true });
  for (const { source, size, file } of outputs) {
    const svg = await readFile(join(resources, source), "utf8");
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}</style>` +
        `<img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}">`,
    );
    await page.locator("img").screenshot({ path: join(resources, file), omitBackground: true });
    console.log(`${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
