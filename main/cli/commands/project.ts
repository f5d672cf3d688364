import { rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { parseClients, type RegistryClient } from "../../core/clients.js";
import { LarderError } from "../../core/errors.js";
import { formatModuleAddress } from "../../core/module-address.js";
import { formatPlatform, parsePlatform, platformOf, type Platform } from "../../core/platform.js";
import type { ClientCheck } from "../../engine/project/check-project.js";
import { moduleFixCommand, providerFixCommand } from "../../engine/project/check-project.js";
import { collect, FOR_HELP, resolveClients, resolveDataDir } from "../cli-context.js";
import { shellWord } from "../../core/shell-word.js";

interface CheckOptions {
  readonly dataDir?: string;
  readonly reachable?: string[];
  readonly platform?: string[];
  readonly for?: string[];
  readonly json?: boolean;
}

interface LockOptions {
  readonly dataDir?: string;
  readonly platform?: string[];
  readonly for?: string;
}

const DATA_DIR_HELP = "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)";

/** `larder check DIR…` and `larder lock DIR`: a project judged against the mirror, and its lock file from it. */
export function registerProject(program: Command): void {
  program
    .command("check")
    .description(
      "Would init of these root modules work offline against this mirror? Exit 1 listing what is missing",
    )
    .argument("<dir...>", "root module directories (the folder you run init in), or folders to scan for them")
    .option(
      "--platform <os_arch>",
      "platforms init must work on (repeatable; default: this machine)",
      collect,
    )
    .option("--for <client>", FOR_HELP, collect)
    .option(
      "--reachable <host>",
      "a host init can reach where it runs (an internal git server): its git/HTTP modules are fine (repeatable)",
      collect,
    )
    .option("--json", "print the checks as JSON (exit code as without it)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (dirs: string[], options: CheckOptions) => {
      const platforms = platformsOf(options.platform);
      const flagged = resolveClients(options.for);
      // Only what is stored is read: the project use cases open without the rest of the engine (fast start).
      const { openProjects } = await import("../../engine/project/open-projects.js");
      const opened = await openProjects(resolveDataDir(options));
      if (opened.isNew)
        process.stderr.write(
          `note: ${resolveDataDir(options)} held no mirror yet, so everything is missing; if the mirror is elsewhere, say so with --data-dir\n`,
        );
      try {
        const clients = flagged ?? [...opened.clients];
        const results: { dir: string; checks: ClientCheck[] }[] = [];
        const roots = await opened.projects.rootModules(dirs);
        reportScan(dirs, roots);
        for (const dir of roots)
          results.push({
            dir,
            checks: await opened.projects.check(dir, clients, platforms, options.reachable ?? []),
          });
        const ok = results.every((result) => result.checks.every((check) => check.ok));
        if (options.json) {
          const platformNames = platforms.map(formatPlatform);
          process.stdout.write(
            `${JSON.stringify({ ok, platforms: platformNames, projects: results }, null, 2)}\n`,
          );
        } else {
          for (const result of results)
            printCheck(result.dir, result.checks, platforms, dataDirFlag(options));
        }
        if (!ok) {
          const failing = results.filter((result) => result.checks.some((check) => !check.ok)).length;
          // Exit 1 with a one-line reason, after the report: a CI log may keep only stderr's last line.
          throw new LarderError(
            "not_found",
            `${failing} of ${results.length} project(s) would not init offline from this mirror (what is missing is listed${options.json ? " in the JSON" : " above"}).`,
          );
        }
      } finally {
        opened.close();
      }
    });

  program
    .command("lock")
    .description(
      "Write .terraform.lock.hcl offline from the mirror: what providers lock writes, with h1: for every --platform",
    )
    .argument("<dir>", "the root module directory")
    .option(
      "--platform <os_arch>",
      "platforms to record hashes for (repeatable; default: this machine)",
      collect,
    )
    .option(
      "--for <client>",
      "terraform or tofu: whose default registry and header (default: the clients setting's first)",
    )
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (dir: string, options: LockOptions) => {
      const platforms = platformsOf(options.platform);
      const flagged: RegistryClient | undefined =
        options.for === undefined ? undefined : parseClients([options.for])[0];
      const { openProjects } = await import("../../engine/project/open-projects.js");
      const opened = await openProjects(resolveDataDir(options));
      try {
        const client = flagged ?? opened.clients[0] ?? "terraform";
        const lock = await opened.projects.lockFile(resolve(dir), client, platforms);
        if (lock.unchanged) {
          process.stdout.write(`${lock.path} is up to date.\n`);
          return;
        }
        // Beside it, then renamed over it: a crash mid-write must not leave init a truncated lock file.
        const temp = `${lock.path}.larder-${process.pid}.tmp`;
        await writeFile(temp, lock.text)
          .then(() => rename(temp, lock.path))
          .catch(async (error: unknown) => {
            await rm(temp, { force: true });
            throw new LarderError("storage_failed", `Could not write ${lock.path}: ${String(error)}`);
          });
        process.stdout.write(
          `Wrote ${lock.path} for ${client} (${platforms.map(formatPlatform).join(", ")}).\n`,
        );
      } finally {
        opened.close();
      }
    });
}

/** Says which root modules a scanned directory stood for, when one held no configuration of its own. */
export function reportScan(paths: readonly string[], roots: readonly string[]): void {
  const given = new Set(paths.map((path) => resolve(path)));
  const found = roots.filter((root) => !given.has(root));
  if (found.length > 0)
    process.stderr.write(
      `Found ${found.length} root module(s) below ${[...given].join(", ")}:\n${found.map((root) => `  ${root}\n`).join("")}`,
    );
}

function platformsOf(values: readonly string[] | undefined): Platform[] {
  if (values === undefined || values.length === 0) return [platformOf(process.platform, process.arch)];
  return values.map(parsePlatform);
}

/** ` --data-dir D` when the command was given one, so the commands printed run against the same mirror. */
export function dataDirFlag(options: { readonly dataDir?: string }): string {
  return options.dataDir === undefined ? "" : ` --data-dir ${shellWord(resolve(options.dataDir))}`;
}

function printCheck(
  dir: string,
  checks: readonly ClientCheck[],
  platforms: readonly Platform[],
  dataDir: string,
): void {
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  for (const check of checks) {
    const where = `${dir} for ${check.client} (${platforms.map(formatPlatform).join(", ")})`;
    out(check.ok ? `OK       ${where}: init works offline` : `MISSING  ${where}:`);
    const fixes: string[] = [];
    let needsProject = false;
    for (const status of check.providers) {
      if (status.problem === undefined) {
        out(
          `  ok       provider ${status.address} ${status.version ?? ""}${status.locked ? " (locked)" : ""}`,
        );
      } else {
        out(`  missing  provider ${status.address}: ${status.problem}`);
        const fix = providerFixCommand(status, platforms);
        if (fix !== undefined) fixes.push(fix);
      }
    }
    for (const status of check.modules) {
      const name = `${formatModuleAddress(status.address)}${status.subdir === "" ? "" : `//${status.subdir}`}`;
      if (status.problem === undefined) out(`  ok       module ${name} ${status.stored ?? ""}`);
      else {
        out(`  missing  module ${name}: ${status.problem}`);
        fixes.push(moduleFixCommand(status, check.client, platforms));
      }
    }
    for (const status of check.remote) {
      if (status.problem === undefined)
        out(
          `  ok       module ${status.source} (from ${status.calledFrom}): init fetches it from ${status.host ?? "its source"}, reachable`,
        );
      else {
        out(`  missing  module ${status.source} (from ${status.calledFrom}): ${status.problem}`);
        if (status.read === "not-read" || status.read === "failed") needsProject = true;
      }
    }
    if (fixes.length > 0 || needsProject) {
      out(
        `  To mirror everything at once: larder mirror project ${shellWord(dir)} --for ${check.client}${platforms.map((p) => ` --platform ${formatPlatform(p)}`).join("")}${dataDir}`,
      );
      if (fixes.length > 0) {
        out("  Or one by one:");
        for (const fix of [...new Set(fixes)]) out(`    ${fix}${dataDir}`);
      }
    }
  }
}
