import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import type { CatalogSearchResult } from "../../engine/catalog/catalog-search.js";
import { collect, openLarderFor } from "../cli-context.js";
import { table } from "../table.js";

interface SearchOptions {
  readonly json?: boolean;
  readonly offline?: boolean;
  readonly registry?: string[];
  readonly kind?: string;
  readonly tier?: string;
  readonly limit?: string;
  readonly upstream?: string[];
  readonly dataDir?: string;
}

/** Descriptions are cut so a row fits a terminal; --json has them whole. */
const DESCRIPTION_WIDTH = 60;

/** `larder search TERM`: what the registries offer, from the catalog cache, marked by what is stored. */
export function registerSearch(program: Command): void {
  program
    .command("search")
    .description("Search the registries' catalogs (cached) for providers and modules to mirror")
    .argument("<term>", "words, a name prefix, or an address such as hashicorp/aws (also looked up live)")
    .option("--json", "print the result object as JSON")
    .option("--offline", "answer from the catalog cache alone, asking no registry")
    .option("--registry <host>", "only this registry host (repeatable)", collect)
    .option("--kind <kind>", "provider or module")
    .option("--tier <tier>", "only this provider tier (official, partner, community)")
    .option("--limit <n>", "at most this many results (1-200, default 20)")
    .option(
      "--upstream <HOST=URL>",
      "reach registry HOST at URL (repeatable; also $LARDER_UPSTREAMS)",
      collect,
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (term: string, options: SearchOptions) => {
      const kind = kindOf(options.kind);
      const limit = options.limit === undefined ? undefined : Number(options.limit);
      const larder = await openLarderFor(options);
      try {
        const result = await larder.catalogs.search({
          text: term,
          ...(options.registry === undefined ? {} : { registries: options.registry }),
          ...(kind === undefined ? {} : { kind }),
          ...(options.tier === undefined ? {} : { tier: options.tier }),
          ...(limit === undefined ? {} : { limit }),
          offline: options.offline === true,
        });
        process.stdout.write(
          options.json ? `${JSON.stringify(result, null, 2)}\n` : formatSearch(result, new Date()),
        );
      } finally {
        larder.close();
      }
    });
}

function kindOf(value: string | undefined): "provider" | "module" | undefined {
  if (value === undefined || value === "provider" || value === "module") return value;
  throw new LarderError("invalid_input", `Unknown kind "${value}": --kind takes provider or module.`);
}

/** The table, then what the answer rests on: each catalog's refresh time, failed look-ups, offline. */
export function formatSearch(result: CatalogSearchResult, now: Date): string {
  const rows = result.results.map((hit) => [
    `${hit.host}/${hit.address}`,
    hit.kind,
    hit.latestVersion ?? "-",
    hit.stored,
    String(hit.popularity),
    cut(hit.description.replace(/\s+/g, " ").trim(), DESCRIPTION_WIDTH),
  ]);
  const lines = [
    rows.length === 0
      ? "No matches in the catalog cache.\n"
      : table(["ADDRESS", "KIND", "LATEST", "STORED", "POPULARITY", "DESCRIPTION"], rows),
  ];
  for (const [host, at] of Object.entries(result.refreshedAt)) {
    lines.push(
      at === null
        ? `catalog of ${host} never refreshed: run larder catalog refresh\n`
        : `catalog of ${host} refreshed ${formatTime(at)} (${ago(at, now)})\n`,
    );
  }
  for (const lookup of result.lookedUp.filter((entry) => entry.outcome === "failed")) {
    lines.push(`could not look up ${lookup.host}/${lookup.address}: ${lookup.message ?? "failed"}\n`);
  }
  if (result.offline) lines.push("offline: answered from the cache\n");
  return lines.join("");
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** `2026-12-03 14:00`, UTC: the same for every reader of a shared log. */
function formatTime(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

function ago(iso: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}
