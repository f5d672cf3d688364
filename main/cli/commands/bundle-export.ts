import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { BundleSelection } from "../../bundle/bundle-selection.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { parseModuleAddress } from "../../core/module-address.js";
import { parsePlatform } from "../../core/platform.js";
import { parseProviderAddress } from "../../core/provider-address.js";
import { parseVersionConstraint } from "../../core/version-constraint.js";
import { createBundleProgress } from "../bundle-progress.js";
import { auditCli, collect, openLarderFor } from "../cli-context.js";
import { formatBytes } from "../mirror-progress.js";

interface ExportOptions {
  readonly dataDir?: string;
  readonly provider?: string[];
  readonly module?: string[];
  readonly version?: string;
  readonly platform?: string[];
  readonly since?: string;
  readonly gzip?: boolean;
  readonly signKey?: string;
}

function selectionOf(options: ExportOptions): BundleSelection {
  return {
    providers: (options.provider ?? []).map((address) => parseProviderAddress(address)),
    modules: (options.module ?? []).map((address) => parseModuleAddress(address).address),
    version: options.version === undefined ? undefined : parseVersionConstraint(options.version),
    platforms: (options.platform ?? []).map(parsePlatform),
  };
}

async function readSignKey(
  file: string | undefined,
): Promise<{ armored: string; passphrase: string | undefined } | undefined> {
  if (file === undefined) return undefined;
  try {
    return { armored: await readFile(file, "utf8"), passphrase: process.env.LARDER_SIGN_PASSPHRASE };
  } catch (error) {
    throw new LarderError("invalid_input", `Cannot read the --sign-key file ${file}: ${errorMessage(error)}`);
  }
}

/** `larder bundle export FILE`: writes an air-gap bundle. */
export function registerBundleExport(bundle: Command): void {
  bundle
    .command("export")
    .description("Write what the mirror holds (or a selection of it) into one bundle file")
    .argument("<file>", "bundle to write (.tar; .tar.gz or .tgz is gzip-compressed)")
    .option("--provider <address>", "only this provider (repeatable), e.g. hashicorp/aws", collect)
    .option(
      "--module <address>",
      "only this module (repeatable), e.g. terraform-aws-modules/vpc/aws",
      collect,
    )
    .option("--version <constraint>", "only versions matching this constraint")
    .option("--platform <os_arch>", "only provider packages for this platform (repeatable)", collect)
    .option("--since <bundle>", "incremental: only what this earlier bundle (file or id) lacks")
    .option("--gzip", "compress with gzip (the default for .gz and .tgz names)")
    .option(
      "--sign-key <file>",
      "sign SHA256SUMS with this armored private key ($LARDER_SIGN_PASSPHRASE unlocks it)",
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (file: string, options: ExportOptions) => {
      const selection = selectionOf(options);
      const signKey = await readSignKey(options.signKey);
      const gzip = options.gzip === true || /\.(t?gz)$/i.test(file);
      const larder = await openLarderFor(options);
      const progress = createBundleProgress(process.stderr);
      try {
        const result = await auditCli(
          larder,
          "bundle.export",
          resolve(file),
          () =>
            larder.exportBundle(
              { file, selection, since: options.since, gzip, signKey },
              {
                onPlanned(plan, tarBytes) {
                  const counts = plan.manifest.entries.reduce(
                    (sum, entry) => ({
                      providers: sum.providers + (entry.kind === "provider-package" ? 1 : 0),
                      modules: sum.modules + (entry.kind === "module-archive" ? 1 : 0),
                    }),
                    { providers: 0, modules: 0 },
                  );
                  process.stdout.write(
                    `Bundle ${plan.manifest.id}: ${counts.providers} provider package(s), ${counts.modules} module version(s)${plan.manifest.parent ? `, incremental on ${plan.manifest.parent.id}` : ""}.\n` +
                      `Size: ${tarBytes} bytes (${formatBytes(tarBytes)})${gzip ? " as an uncompressed tar, before gzip" : ""}.\n`,
                  );
                  progress.start(tarBytes);
                },
                onProgress: (done) => {
                  progress.update(done);
                },
              },
            ),
          (written) =>
            `bundle ${written.manifest.id}: ${written.fileBytes} bytes, ${written.signedBy ? `signed by ${written.signedBy}` : "unsigned"}`,
        );
        progress.finish();
        process.stdout.write(
          `Wrote ${file} (${result.fileBytes} bytes${result.signedBy ? `, signed by ${result.signedBy}` : ", unsigned"}).\n`,
        );
      } finally {
        progress.finish();
        larder.close();
      }
    });
}
