import type { Command } from "commander";
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { firstFailure, formatReport, type BundleReport } from "../../bundle/bundle-report.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { auditCli, openLarderFor } from "../cli-context.js";
import { formatBytes } from "../mirror-progress.js";
import { registerBundleExport } from "./bundle-export.js";

interface VerifyOptions {
  readonly trustKey?: string;
  readonly json?: boolean;
}

interface ImportOptions {
  readonly dataDir?: string;
  readonly trustKey?: string;
  readonly allowUnsigned?: boolean;
}

interface ListOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** How the bundle's own signature vouched for an import. */
function signatureNote(signature: BundleReport["signature"]): string {
  return signature.status === "trusted"
    ? `signed by ${signature.keyId}, the trusted key`
    : "the bundle signature was not checked against a trusted key (--allow-unsigned)";
}

async function readTrustKey(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new LarderError(
      "invalid_input",
      `Cannot read the --trust-key file ${file}: ${errorMessage(error)}`,
    );
  }
}

async function bundleSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    throw new LarderError("invalid_input", `Cannot read the bundle ${file}: ${errorMessage(error)}`);
  }
}

/** `larder bundle export|verify|import|list`: carry the mirror across an air gap. */
export function registerBundle(program: Command): void {
  const bundle = program.command("bundle").description("Export, verify and import air-gap bundles");
  registerBundleExport(bundle);

  bundle
    .command("verify")
    .description("Re-check a bundle offline: manifest, sizes, sha256, signatures, h1 hashes")
    .argument("<file>", "bundle file")
    .option("--trust-key <file>", "require the bundle signature to be by this armored public key")
    .option("--json", "print the report as JSON")
    .action(async (file: string, options: VerifyOptions) => {
      await bundleSize(file);
      // Loaded on use, like the engine: the checks bring OpenPGP, which other commands never need.
      const { verifyBundle } = await import("../../bundle/verify-bundle.js");
      const report = await verifyBundle(file, await readTrustKey(options.trustKey));
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      const failure = firstFailure(report);
      if (failure !== undefined) {
        throw new LarderError("verification_failed", `Bundle ${file} failed verification: ${failure}`);
      }
    });

  bundle
    .command("import")
    .description("Verify a bundle and add everything in it to the mirror in one transaction")
    .argument("<file>", "bundle file")
    .option("--trust-key <file>", "require the bundle signature to be by this armored public key")
    .option(
      "--allow-unsigned",
      "import without --trust-key, relying only on the registry signatures inside the bundle",
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (file: string, options: ImportOptions) => {
      const trustedKey = await readTrustKey(options.trustKey);
      if (trustedKey === undefined && options.allowUnsigned !== true) {
        throw new LarderError(
          "invalid_input",
          `Refusing to import ${file} without --trust-key: its packages are signed with keys carried in the same file, so whoever could change the file could re-sign them. Give the sender's public key with --trust-key FILE, or pass --allow-unsigned to rely on the registry signatures inside the bundle alone.`,
        );
      }
      const size = await bundleSize(file);
      const larder = await openLarderFor(options);
      try {
        const trust =
          trustedKey === undefined
            ? ({ kind: "unchecked" } as const)
            : { kind: "key" as const, armoredKey: trustedKey };
        const outcome = await auditCli(
          larder,
          "bundle.import",
          resolve(file),
          () => larder.importBundle(file, size, trust),
          (done) =>
            done.status === "imported"
              ? `bundle ${done.report.bundleId}: ${done.providerPackages} provider package(s), ${done.moduleVersions} module version(s) added`
              : `bundle ${done.bundleId} was imported before`,
        );
        switch (outcome.status) {
          case "already-imported":
            process.stdout.write(`Bundle ${outcome.bundleId} was imported before; nothing to do.\n`);
            return;
          case "imported":
            process.stdout.write(
              `Imported bundle ${outcome.report.bundleId}: ${outcome.providerPackages} provider package(s), ${outcome.moduleVersions} module version(s) added, ${outcome.alreadyPresent} already present. All ${outcome.report.entries.length} entries verified; ${signatureNote(outcome.report.signature)}.\n`,
            );
            return;
        }
      } finally {
        larder.close();
      }
    });

  bundle
    .command("list")
    .description("List bundles exported from and imported into this mirror")
    .option("--json", "print JSON instead of a table")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: ListOptions) => {
      const larder = await openLarderFor(options);
      try {
        const bundles = larder.bundleHistory();
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ bundles }, null, 2)}\n`);
          return;
        }
        if (bundles.length === 0) {
          process.stdout.write(
            "No bundles exported or imported yet. Write one with: larder bundle export FILE\n",
          );
          return;
        }
        for (const record of bundles) {
          process.stdout.write(
            `${record.recordedAt}  ${record.direction.padEnd(6)}  ${record.id}  ${record.providerPackages} provider(s), ${record.moduleVersions} module(s), ${formatBytes(record.size)}${record.parentId ? `  since ${record.parentId}` : ""}  ${record.file}\n`,
          );
        }
      } finally {
        larder.close();
      }
    });
}
