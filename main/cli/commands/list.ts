import type { Command } from "commander";
import { resolveDataDir } from "../cli-context.js";
import { formatBytes } from "../mirror-progress.js";
import { table } from "../table.js";

interface ListOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** `larder list`: what the mirror holds. */
export function registerList(program: Command): void {
  program
    .command("list")
    .description("List what the mirror holds")
    .option("--json", "print JSON instead of a table")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: ListOptions) => {
      // Only what is stored is read: the engine (registry clients, OpenPGP, jobs) is never loaded.
      const { openStoredMirror } = await import("../../engine/stored-mirror.js");
      const larder = await openStoredMirror(resolveDataDir(options));
      try {
        const providers = larder.providerInventory();
        const modules = larder.moduleInventory().map((entry) => ({
          host: entry.host,
          namespace: entry.namespace,
          name: entry.name,
          system: entry.system,
          version: entry.version,
          size: entry.size,
          source: entry.upstreamLocation,
        }));
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ providers, modules }, null, 2)}\n`);
          return;
        }
        if (providers.length === 0 && modules.length === 0) {
          process.stdout.write(
            `The mirror at ${larder.dataDir} is empty. Stock it with: larder mirror provider hashicorp/null\n`,
          );
          return;
        }
        // Grouped by host: the same address under two hosts is two packages (each registry's keys and hashes),
        // and which one a client uses depends on the host it reads a host-less address as.
        const hosts = [...new Set([...providers, ...modules].map((entry) => entry.host))].sort();
        const sections = hosts.map((host) => {
          const parts = [`${host}\n`];
          const providerRows = providers
            .filter((entry) => entry.host === host)
            .map((entry) => [
              `${entry.namespace}/${entry.type}`,
              entry.version,
              entry.platforms.join(","),
              formatBytes(entry.totalSize),
              // Keyless providers (tofu's rule) are stored on checksums alone; say so wherever they are shown.
              entry.signed ? "signed" : "UNSIGNED",
            ]);
          if (providerRows.length > 0)
            parts.push(
              table(["  PROVIDER", "VERSION", "PLATFORMS", "SIZE", "SIGNATURE"], indent(providerRows)),
            );
          const moduleRows = modules
            .filter((entry) => entry.host === host)
            .map((entry) => [
              `${entry.namespace}/${entry.name}/${entry.system}`,
              entry.version,
              formatBytes(entry.size),
              entry.source,
            ]);
          if (moduleRows.length > 0)
            parts.push(table(["  MODULE", "VERSION", "SIZE", "SOURCE"], indent(moduleRows)));
          return parts.join("");
        });
        process.stdout.write(sections.join("\n"));
      } finally {
        larder.close();
      }
    });
}

/** Indents each row's first cell under its host heading. */
function indent(rows: readonly (readonly string[])[]): string[][] {
  return rows.map(([first = "", ...rest]) => [`  ${first}`, ...rest]);
}
