import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { formatModuleAddress } from "../../core/module-address.js";
import type { ModuleVersionRef } from "../../engine/ingest-module-version.js";
import type { MirrorModulesReport, ModuleMirrorEvent } from "../../engine/mirror-modules.js";
import { collect, openLarderFor } from "../cli-context.js";
import { runJobInForeground, throwIfStopped } from "../job-foreground.js";
import { createMirrorProgress, formatBytes } from "../mirror-progress.js";

/** As the engine's describeModule, without loading the module fetchers at CLI start. */
function describeModule(ref: ModuleVersionRef): string {
  return `${formatModuleAddress(ref.address)} ${ref.version}`;
}

interface MirrorModuleOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly version?: string[];
  readonly allVersions?: boolean;
  readonly platform?: string[];
  readonly dependencies: boolean;
}

/** `larder mirror module …`: stores module versions as Larder's own archives, with their dependencies. */
export function registerMirrorModule(mirror: Command): void {
  mirror
    .command("module")
    .description("Mirror registry modules, the registry modules they call and the providers they require")
    .argument(
      "<address>",
      "module registry address, e.g. terraform-aws-modules/vpc/aws or HOST/NS/NAME/SYSTEM",
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
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (address: string, options: MirrorModuleOptions) => {
      const larder = await openLarderFor(options);
      const providerProgress = createMirrorProgress(process.stderr);
      const onEvent = (event: ModuleMirrorEvent): void => {
        switch (event.kind) {
          case "provider":
            providerProgress.onEvent(event.event);
            return;
          case "module-skipped":
            process.stderr.write(`already stored  module ${describeModule(event.module)}\n`);
            return;
          case "module-started":
            process.stderr.write(`fetching        module ${describeModule(event.module)}\n`);
            return;
          case "module-stored":
            process.stderr.write(
              `stored          module ${describeModule(event.module)} (${formatBytes(event.size)})\n`,
            );
            return;
          case "module-failed":
            process.stderr.write(`FAILED          ${event.message}\n`);
            return;
        }
      };
      const reports: MirrorModulesReport[] = [];
      const reported = new Set<number>();
      try {
        const job = await larder.jobs.createModuleJob({
          address,
          versions: options.version ?? [],
          allVersions: options.allVersions ?? false,
          withDependencies: options.dependencies,
          platforms: options.platform ?? [],
        });
        process.stderr.write(`Job ${job.id}: ${job.what}\n`);
        const result = await runJobInForeground(larder, job.id, {
          onModuleEvent: onEvent,
          onModuleReport: (report, itemId) => {
            reports.push(report);
            reported.add(itemId);
          },
        });
        providerProgress.finish();
        const moduleFailures = reports.flatMap((report) => report.failed.map((failure) => failure.message));
        const providerFailures = reports.flatMap((report) =>
          report.providers.flatMap((entry) => entry.failed.map((failure) => failure.message)),
        );
        // An item that failed before its run could report (e.g. the registry was unreachable) counts too,
        // whatever the other items reported.
        const unreported = result.items.flatMap((item) =>
          item.state.status === "failed" && !reported.has(item.id) ? [item.state.reason] : [],
        );
        const sum = (pick: (report: MirrorModulesReport) => number): number =>
          reports.reduce((total, report) => total + pick(report), 0);
        const storedProviders = sum((report) =>
          report.providers.reduce((total, entry) => total + entry.stored.length, 0),
        );
        process.stdout.write(
          `Modules: stored ${sum((report) => report.stored.length)}, already present ${sum((report) => report.skipped.length)}, failed ${moduleFailures.length + unreported.length}. ` +
            `Providers: stored ${storedProviders}, failed ${providerFailures.length}.\n`,
        );
        throwIfStopped(result);
        const failures = [...unreported, ...moduleFailures, ...providerFailures];
        const [first] = failures;
        if (first !== undefined) {
          throw new LarderError(
            "verification_failed",
            failures.length === 1
              ? first
              : `${failures.length} item(s) could not be mirrored (see above); the first: ${first}`,
          );
        }
      } finally {
        providerProgress.finish();
        larder.close();
      }
    });
}
