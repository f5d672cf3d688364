import type { Command } from "commander";
import { auditCli, openLarderFor } from "../cli-context.js";
import { formatBytes } from "../mirror-progress.js";

interface GcOptions {
  readonly dataDir?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** `larder gc`: removes blobs nothing references any more (after `larder delete`), safely beside running ingests. */
export function registerGc(program: Command): void {
  program
    .command("gc")
    .description("Remove stored files nothing references any more (what larder delete left behind)")
    .option("--dry-run", "only report what would be removed")
    .option("--json", "print JSON instead of text")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: GcOptions) => {
      const larder = await openLarderFor(options);
      try {
        const dryRun = options.dryRun === true;
        // A dry run changes nothing, so it is not audited.
        const report = dryRun
          ? larder.collectGarbage({ dryRun })
          : await auditCli(
              larder,
              "gc",
              "unreferenced blobs",
              () => larder.collectGarbage({ dryRun }),
              (done) => `${done.blobs} blob(s), ${done.bytes} bytes freed`,
            );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const size = formatBytes(report.bytes);
        process.stdout.write(
          report.dryRun
            ? `Would remove ${report.blobs} blob(s), ${size}\n`
            : `Removed ${report.blobs} blob(s), freed ${size}\n`,
        );
      } finally {
        larder.close();
      }
    });
}
