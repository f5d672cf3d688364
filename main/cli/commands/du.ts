import type { Command } from "commander";
import { openLarderFor } from "../cli-context.js";
import { formatBytes } from "../mirror-progress.js";
import { table } from "../table.js";

interface DuOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** `larder du`: disk usage by host and provider/module, the total and what `larder gc` would free. */
export function registerDu(program: Command): void {
  program
    .command("du")
    .description("Show disk usage per host, provider and module, and what larder gc would free")
    .option("--json", "print JSON instead of a table")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: DuOptions) => {
      const larder = await openLarderFor(options);
      try {
        const usage = larder.diskUsage();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(usage, null, 2)}\n`);
          return;
        }
        // Like `larder list`: one section per host, addresses without the host under it.
        const sections = usage.hosts.map((host) => {
          const rows = [
            ...host.providers.map((entry) => ["provider", entry.address, entry.bytes] as const),
            ...host.modules.map((entry) => ["module", entry.address, entry.bytes] as const),
          ].map(([kind, address, bytes]) => [
            `  ${address.slice(host.host.length + 1)}`,
            kind,
            formatBytes(bytes),
          ]);
          return `${host.host}  ${formatBytes(host.bytes)}\n${table(["  ADDRESS", "KIND", "SIZE"], rows)}`;
        });
        process.stdout.write(sections.map((section) => `${section}\n`).join(""));
        // A blob shared by two hosts counts in both hosts above but once here.
        process.stdout.write(
          `Total: ${formatBytes(usage.totalBytes)} referenced, ${formatBytes(usage.onDiskBytes)} on disk\n` +
            `larder gc would free: ${formatBytes(usage.unreferencedBytes)}\n`,
        );
      } finally {
        larder.close();
      }
    });
}
