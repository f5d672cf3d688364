import { resolve } from "node:path";
import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { shellWord } from "../../core/shell-word.js";
import {
  auditCli,
  cliActor,
  collect,
  FOR_HELP,
  openLarderFor,
  resolveClients,
  resolveDataDir,
} from "../cli-context.js";
import type { RegistryClient } from "../../core/clients.js";
import { formatPlatform, parsePlatform, platformOf } from "../../core/platform.js";
import { printJobHeader, runJobInForeground } from "../job-foreground.js";
import { createMirrorProgress } from "../mirror-progress.js";
import { moduleProgressLines } from "../module-progress.js";
import { dataDirFlag, reportScan } from "./project.js";

/** Job reports load when a command runs: they pull in zod, which starting `larder` need not pay for. */
const jobReports = () => import("../../engine/job-reports.js");

interface MirrorProjectOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly platform?: string[];
  readonly for?: string[];
  readonly requireSignatures?: boolean;
}

/** `larder mirror project DIR…`: everything `init` of these root modules needs, as one job. */
export function registerMirrorProject(mirror: Command): void {
  mirror
    .command("project")
    .description(
      "Mirror what init of these root modules needs: their providers (at the lock file's versions), registry modules and what those call",
    )
    .argument("<dir...>", "root module directories (the folder you run init in), or folders to scan for them")
    .option(
      "--platform <os_arch>",
      "platforms to mirror providers for (repeatable; default: this machine)",
      collect,
    )
    .option("--for <client>", FOR_HELP, collect)
    .option("--upstream <HOST=URL>", "reach registry HOST at URL (repeatable; also github.com=URL)", collect)
    .option(
      "--require-signatures",
      "refuse keyless providers that tofu would accept unsigned (also LARDER_REQUIRE_SIGNATURES=1)",
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (dirs: string[], options: MirrorProjectOptions) => {
      const flagged = resolveClients(options.for);
      if (await nothingToDo(dirs, options, flagged)) return;
      const larder = await openLarderFor(options);
      const providerProgress = createMirrorProgress(process.stderr);
      const moduleLines = moduleProgressLines(process.stderr);
      // Modules are stored while planning (what they require is only known from them); providers run in the job.
      const collector = new (await jobReports()).JobReportCollector(providerProgress.onEvent);
      try {
        const absolute = await larder.projects.rootModules(dirs);
        reportScan(dirs, absolute);
        await auditCli(
          larder,
          "mirror.project",
          dirs.map((dir) => resolve(dir)).join(" "),
          async () => {
            const clients = flagged ?? [...larder.settings.get("clients")];
            const { job, plan } = await larder.jobs.createProjectJob(
              { dirs: absolute, platforms: options.platform ?? [], clients },
              undefined,
              moduleLines,
            );
            printJobHeader(larder, job.id);
            for (const entry of plan.remote) {
              const where = `called from ${entry.calledFrom} in ${entry.dir}`;
              process.stderr.write(
                entry.read === "read"
                  ? `READ            module ${entry.source} (${where}): what it needs is mirrored; init fetches the module itself from ${entry.host ?? "its source"}\n`
                  : `NOT READ        module ${entry.source} (${where}): ${entry.reason ?? "unknown"}\n`,
              );
            }
            const result = await runJobInForeground(larder, job.id, collector.observer);
            providerProgress.finish();
            const providers = collector.providerReport(result);
            const modules = plan.modules;
            const present = modules.present.filter((name) => !modules.stored.includes(name));
            process.stdout.write(
              `Modules: stored ${modules.stored.length}, already present ${present.length}, failed ${modules.failed.length}. ` +
                `Providers: stored ${providers.stored.length}, already present ${providers.skipped.length}, failed ${providers.failed.length}.\n`,
            );
            (await jobReports()).throwIfStopped(result);
            const failures = [
              ...modules.failed.map((failure) => failure.message),
              ...providers.failed.map((failure) => failure.message),
            ];
            const [first] = failures;
            if (first !== undefined) {
              throw new LarderError(
                "verification_failed",
                failures.length === 1
                  ? first
                  : `${failures.length} item(s) could not be mirrored (see above); the first: ${first}`,
              );
            }
            // The same clients and platforms as this mirror, so the check asks what was just mirrored.
            const flags = `${clients.map((client) => ` --for ${client}`).join("")}${(options.platform ?? []).map((platform) => ` --platform ${shellWord(platform)}`).join("")}${dataDirFlag(options)}`;
            const hint = absolute.map((dir) => `larder check ${shellWord(dir)}${flags}`).join("; ");
            process.stdout.write(`Check that init works offline: ${hint}\n`);
            return `job ${job.id}: modules stored ${modules.stored.length}, providers stored ${providers.stored.length}`;
          },
          (summary) => summary,
        );
      } finally {
        providerProgress.finish();
        larder.close();
      }
    });
}

/**
 * A re-run of a mirrored project, answered from what is stored without the engine or a registry: when every
 * provider and module the projects pin is stored, mirroring would ask nothing and store nothing (issue 16's re-run
 * target). Says so, records it, and answers true; false sends the command down the full path.
 */
async function nothingToDo(
  dirs: readonly string[],
  options: MirrorProjectOptions,
  flagged: RegistryClient[] | undefined,
): Promise<boolean> {
  const platforms =
    options.platform && options.platform.length > 0
      ? options.platform.map(parsePlatform)
      : [platformOf(process.platform, process.arch)];
  const { openProjects } = await import("../../engine/project/open-projects.js");
  const opened = await openProjects(resolveDataDir(options));
  try {
    if (opened.isNew) return false;
    const roots = await opened.projects.rootModules(dirs);
    const clients = flagged ?? [...opened.clients];
    if (!(await opened.projects.nothingToMirror(roots, clients, platforms))) return false;
    reportScan(dirs, roots);
    await opened.audit.audited(
      cliActor(),
      "mirror.project",
      dirs.map((dir) => resolve(dir)).join(" "),
      () => undefined,
      () => "nothing to mirror: every pinned provider and module stored",
    );
    const flags = `${clients.map((client) => ` --for ${client}`).join("")}${platforms.map((platform) => ` --platform ${formatPlatform(platform)}`).join("")}${dataDirFlag(options)}`;
    process.stdout.write(
      `Nothing to mirror: every provider and module ${roots.length === 1 ? "the project pins" : "these projects pin"} is stored (no registry was asked).\n` +
        `Check that init works offline: ${roots.map((dir) => `larder check ${shellWord(dir)}${flags}`).join("; ")}\n`,
    );
    return true;
  } finally {
    opened.close();
  }
}
