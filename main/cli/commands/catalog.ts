import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import type {
  CatalogRefreshProgress,
  CatalogRefreshReport,
  CatalogSourceReport,
} from "../../engine/catalog/catalog-refresh.js";
import { auditCli, collect, openLarderFor, type CommonOptions } from "../cli-context.js";

interface RefreshOptions extends CommonOptions {
  readonly registry?: string[];
  readonly json?: boolean;
}

/** One progress line per stored page: the refresh can take minutes, and a log shows where it stood. */
function progressLine(progress: CatalogRefreshProgress): string | undefined {
  if (progress.done || progress.page === null) return undefined;
  return `${progress.registry} ${progress.kind}s: page ${progress.page} stored, ${progress.entries} entries so far\n`;
}

/** The summary line of one source, as the README shows it. */
export function summaryLine(source: CatalogSourceReport): string {
  const name = `${source.registry} ${source.kind}s`;
  if (source.error !== null) return `${name}: FAILED: ${source.error}`;
  if (source.notModified) return `${name}: not modified`;
  const resumed = source.resumed ? " (resumed)" : "";
  const pages = source.pages === 1 ? "1 page" : `${source.pages} pages`;
  return `${name}: ${source.entries} entries in ${pages}${resumed}; ${source.removed} removed`;
}

function auditSummary(report: CatalogRefreshReport): string {
  const failed = report.sources.filter((source) => source.error !== null).length;
  const entries = report.sources.reduce((sum, source) => sum + source.entries, 0);
  return `${report.sources.length} source(s), ${entries} entries stored, ${failed} failed`;
}

/** `larder catalog refresh`: fills the search catalog from the public registries' catalog APIs. */
export function registerCatalog(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("The search catalog of what the registries offer (for finding what to mirror)");
  catalog
    .command("refresh")
    .description(
      "Refresh the catalog from registry.terraform.io and registry.opentofu.org (resumes an interrupted refresh)",
    )
    .option("--registry <HOST>", "only this registry; repeatable (default: both public ones)", collect)
    .option("--upstream <HOST=URL>", "reach HOST at URL (api.opentofu.org for OpenTofu's catalog)", collect)
    .option("--json", "print the report as JSON")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: RefreshOptions) => {
      const larder = await openLarderFor(options);
      const controller = new AbortController();
      // Ctrl-C stops after the page in flight; the saved cursor lets the next refresh carry on from there.
      const onInterrupt = (): void => {
        controller.abort();
      };
      process.once("SIGINT", onInterrupt);
      try {
        const target = options.registry?.join(", ") ?? "public registries";
        await auditCli(
          larder,
          "catalog.refresh",
          target,
          async () => {
            const done = await larder.catalogs.refresh({
              ...(options.registry ? { registries: options.registry } : {}),
              signal: controller.signal,
              onProgress: (progress) => {
                const line = progressLine(progress);
                if (line !== undefined && !options.json) process.stderr.write(line);
              },
            });
            print(done, options.json === true);
            const failed = done.sources.filter((source) => source.error !== null);
            if (done.sources.length > 0 && failed.length === done.sources.length) {
              throw new LarderError(
                "upstream_unreachable",
                `Every catalog source failed (first: ${failed[0]?.error ?? "unknown"}); run the refresh again once the registries answer.`,
              );
            }
            return done;
          },
          auditSummary,
        );
      } finally {
        process.removeListener("SIGINT", onInterrupt);
        larder.close();
      }
    });
}

function print(report: CatalogRefreshReport, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  for (const skipped of report.skipped) process.stdout.write(`${skipped.reason}\n`);
  for (const source of report.sources) process.stdout.write(`${summaryLine(source)}\n`);
}
