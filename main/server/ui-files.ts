import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the built UI (`npm run build` → dist/renderer) is: `LARDER_UI_DIR` when set (a packaged app may put it
 * elsewhere), else dist/renderer of the package this file belongs to, found by walking up from here (this runs
 * both compiled, from dist/main/server, and from source under tsx). Undefined when the UI was not built.
 */
export function findUiDir(): string | undefined {
  const configured = process.env.LARDER_UI_DIR;
  if (configured !== undefined && configured !== "") {
    return existsSync(join(configured, "index.html")) ? configured : undefined;
  }
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, "dist", "renderer");
    if (existsSync(join(candidate, "index.html"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
