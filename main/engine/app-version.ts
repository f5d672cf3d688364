import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Larder's own version, read once from the nearest package.json (works from sources and from dist/). */
export const APP_VERSION: string = findVersion(dirname(fileURLToPath(import.meta.url)));

function findVersion(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      if (
        typeof parsed === "object" &&
        parsed !== null &&
        "name" in parsed &&
        parsed.name === "larder" &&
        "version" in parsed
      ) {
        return String(parsed.version);
      }
    } catch {
      // Not here; keep walking up.
    }
    if (dirname(dir) === dir) return "0.0.0";
  }
}

/** The User-Agent sent upstream, so registry operators can tell mirror traffic apart. */
export const USER_AGENT = `Larder/${APP_VERSION} (terraform/opentofu mirror; +https://github.com/larder-mirror/larder)`;
