import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { collect, openLarderFor } from "../cli-context.js";
import { createMirrorProgress } from "../mirror-progress.js";
import { registerMirrorModule } from "./mirror-module.js";

interface MirrorProviderOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly version?: string[];
  readonly allVersions?: boolean;
  readonly platform?: string[];
  readonly concurrency: string;
}

/** `larder mirror provider|module …`: stocks the mirror from upstream registries. */
export function registerMirror(program: Command): void {
  const mirror = program.command("mirror").description("Stock the mirror from upstream registries");
  registerMirrorModule(mirror);
  mirror
    .command("provider")
    .description(
      "Mirror provider packages: versions × platforms, each verified against the registry's signature",
    )
    .argument(
      "<address>",
      "provider source address, e.g. hashicorp/aws or registry.opentofu.org/hashicorp/null",
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
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .option("--concurrency <n>", "parallel downloads", "4")
    .action(async (address: string, options: MirrorProviderOptions) => {
      const concurrency = Number(options.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
        throw new LarderError(
          "invalid_input",
          `Invalid --concurrency "${options.concurrency}": use a whole number from 1 to 32.`,
        );
      }
      const larder = await openLarderFor(options);
      const progress = createMirrorProgress(process.stderr);
      try {
        const report = await larder.mirrorProviders(
          {
            address,
            versions: options.version ?? [],
            allVersions: options.allVersions ?? false,
            platforms: options.platform ?? [],
            concurrency,
          },
          progress.onEvent,
        );
        progress.finish();
        process.stdout.write(
          `Stored ${report.stored.length}, already present ${report.skipped.length}, failed ${report.failed.length}.\n`,
        );
        const [first] = report.failed;
        if (first) {
          // The one-line reason names the problem itself, not only "see above": stderr may be all a script keeps.
          const reason =
            report.failed.length === 1
              ? first.message
              : `${report.failed.length} package(s) could not be mirrored (see the messages above); the first: ${first.message}`;
          throw new LarderError("verification_failed", reason);
        }
      } finally {
        progress.finish();
        larder.close();
      }
    });
}
