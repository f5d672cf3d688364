import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { auditCli, collect, FOR_HELP, mirrorTarget, openLarderFor, resolveClients } from "../cli-context.js";
import { printJobHeader, runJobInForeground } from "../job-foreground.js";
import { createMirrorProgress } from "../mirror-progress.js";
import { registerMirrorModule } from "./mirror-module.js";
import { registerMirrorProject } from "./mirror-project.js";

/** Job reports load when a command runs: they pull in zod, which starting `larder` need not pay for. */
const jobReports = () => import("../../engine/job-reports.js");

interface MirrorProviderOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly version?: string[];
  readonly allVersions?: boolean;
  readonly platform?: string[];
  readonly concurrency?: string;
  readonly perHost?: string;
  readonly requireSignatures?: boolean;
  readonly for?: string[];
}

/** `larder mirror provider|module …`: stocks the mirror from upstream registries, each run a persistent job. */
export function registerMirror(program: Command): void {
  const mirror = program.command("mirror").description("Stock the mirror from upstream registries");
  registerMirrorModule(mirror);
  registerMirrorProject(mirror);
  mirror
    .command("provider")
    .description(
      "Mirror provider packages: versions × platforms, each verified against the registry's signature",
    )
    .argument(
      "<address...>",
      "provider source addresses, e.g. hashicorp/aws (for each client's default registry) or registry.opentofu.org/hashicorp/null; several make one job",
    )
    .option(
      "--version <constraint>",
      "version constraint; its newest match is mirrored (repeatable; default: newest release)",
      collect,
    )
    .option("--all-versions", "mirror every version matching the constraints, not only the newest")
    .option(
      "--platform <os_arch>",
      "target platform such as linux_amd64 (repeatable; default: this machine)",
      collect,
    )
    .option(
      "--upstream <HOST=URL>",
      "reach registry HOST at URL (repeatable; also $LARDER_UPSTREAMS)",
      collect,
    )
    .option("--for <client>", FOR_HELP, collect)
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .option("--concurrency <n>", "parallel downloads in all (default 4)")
    .option("--per-host <n>", "parallel downloads from one upstream host (default 2)")
    .option(
      "--require-signatures",
      "refuse keyless providers that tofu would accept unsigned (also LARDER_REQUIRE_SIGNATURES=1)",
    )
    .action(async (addresses: string[], options: MirrorProviderOptions) => {
      const clients = resolveClients(options.for);
      const larder = await openLarderFor(options);
      const progress = createMirrorProgress(process.stderr);
      const target = mirrorTarget(addresses.join(" "), options.version, options.allVersions);
      try {
        await auditCli(
          larder,
          "mirror.provider",
          target,
          async () => {
            const job = await larder.jobs.createProvidersJob(addresses, {
              versions: options.version ?? [],
              allVersions: options.allVersions ?? false,
              platforms: options.platform ?? [],
              ...(clients ? { clients } : {}),
            });
            printJobHeader(larder, job.id);
            const result = await runJobInForeground(larder, job.id, { onMirrorEvent: progress.onEvent });
            progress.finish();
            const failed = result.items.flatMap((item) =>
              item.state.status === "failed" ? [item.state.reason] : [],
            );
            process.stdout.write(
              `Stored ${result.stored}, already present ${result.alreadyStored}, failed ${failed.length}.\n`,
            );
            (await jobReports()).throwIfStopped(result);
            const [first] = failed;
            if (first !== undefined) {
              // The one-line reason names the problem itself, not only "see above": stderr may be all a script keeps.
              const reason =
                failed.length === 1
                  ? first
                  : `${failed.length} package(s) could not be mirrored (see the messages above); the first: ${first}`;
              throw new LarderError("verification_failed", reason);
            }
            return `job ${job.id}: stored ${result.stored}, already present ${result.alreadyStored}`;
          },
          // The work returns its own one-line summary: the job and what it stored.
          (summary) => summary,
        );
      } finally {
        progress.finish();
        larder.close();
      }
    });
}
