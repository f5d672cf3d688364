import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { auditCli, collect, FOR_HELP, mirrorTarget, openLarderFor, resolveClients } from "../cli-context.js";
import { printJobHeader, runJobInForeground } from "../job-foreground.js";
import { createMirrorProgress } from "../mirror-progress.js";
import { moduleProgressLines } from "../module-progress.js";

/** Job reports load when a command runs: they pull in zod, which starting `larder` need not pay for. */
const jobReports = () => import("../../engine/job-reports.js");

interface MirrorModuleOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly version?: string[];
  readonly allVersions?: boolean;
  readonly platform?: string[];
  readonly dependencies: boolean;
  readonly for?: string[];
}

/** `larder mirror module …`: stores module versions as Larder's own archives, with their dependencies. */
export function registerMirrorModule(mirror: Command): void {
  mirror
    .command("module")
    .description("Mirror registry modules, the registry modules they call and the providers they require")
    .argument(
      "<address...>",
      "module registry addresses, e.g. terraform-aws-modules/vpc/aws or HOST/NS/NAME/SYSTEM; several make one job",
    )
    .option(
      "--version <constraint>",
      "version constraint; its newest match is mirrored (repeatable)",
      collect,
    )
    .option("--all-versions", "mirror every version matching the constraints, not only the newest")
    .option(
      "--platform <os_arch>",
      "platforms for required providers (repeatable; default: this machine)",
      collect,
    )
    .option("--no-dependencies", "mirror only this module, not the modules and providers it needs")
    .option("--upstream <HOST=URL>", "reach registry HOST at URL (repeatable; also github.com=URL)", collect)
    .option(
      "--require-signatures",
      "refuse keyless providers that tofu would accept unsigned (also LARDER_REQUIRE_SIGNATURES=1)",
    )
    .option("--for <client>", FOR_HELP, collect)
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (addresses: string[], options: MirrorModuleOptions) => {
      const clients = resolveClients(options.for);
      const larder = await openLarderFor(options);
      const providerProgress = createMirrorProgress(process.stderr);
      const collector = new (await jobReports()).JobReportCollector(
        providerProgress.onEvent,
        moduleProgressLines(process.stderr),
      );
      const target = mirrorTarget(addresses.join(" "), options.version, options.allVersions);
      try {
        await auditCli(
          larder,
          "mirror.module",
          target,
          async () => {
            const job = await larder.jobs.createModulesJob(addresses, {
              versions: options.version ?? [],
              allVersions: options.allVersions ?? false,
              withDependencies: options.dependencies,
              platforms: options.platform ?? [],
              ...(clients ? { clients } : {}),
            });
            printJobHeader(larder, job.id);
            const result = await runJobInForeground(larder, job.id, collector.observer);
            providerProgress.finish();
            const report = collector.moduleReport(result);
            const providers = report.providers.reduce(
              (sum, entry) => ({
                stored: sum.stored + entry.stored.length,
                skipped: sum.skipped + entry.skipped.length,
                failed: [...sum.failed, ...entry.failed.map((failure) => failure.message)],
              }),
              { stored: 0, skipped: 0, failed: [] as string[] },
            );
            process.stdout.write(
              `Modules: stored ${report.stored.length}, already present ${report.skipped.length}, failed ${report.failed.length}. ` +
                `Providers: stored ${providers.stored}, already present ${providers.skipped}, failed ${providers.failed.length}.\n`,
            );
            (await jobReports()).throwIfStopped(result);
            const failures = [...report.failed.map((failure) => failure.message), ...providers.failed];
            const [first] = failures;
            if (first !== undefined) {
              throw new LarderError(
                "verification_failed",
                failures.length === 1
                  ? first
                  : `${failures.length} item(s) could not be mirrored (see above); the first: ${first}`,
              );
            }
            return `job ${job.id}: modules stored ${report.stored.length}, providers stored ${providers.stored}`;
          },
          // The work returns its own one-line summary: the job and what it stored.
          (summary) => summary,
        );
      } finally {
        providerProgress.finish();
        larder.close();
      }
    });
}
