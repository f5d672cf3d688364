import type { Command } from "commander";
import { join } from "node:path";
import { NON_REGISTRY_HOSTS } from "../../core/upstream-override.js";
import { LarderError } from "../../core/errors.js";
import { renderCliConfig } from "../../engine/cli-config.js";
import {
  DEFAULT_HTTP_PORT,
  DEFAULT_HTTPS_PORT,
  resolveDataDir,
  resolvePort,
  resolveUpstreams,
} from "../cli-context.js";

interface TerraformrcOptions {
  readonly dataDir?: string;
  readonly tool: string;
  readonly mode: string;
  readonly port?: string;
  readonly httpsPort?: string;
  readonly host: string;
}

/** `larder terraformrc`: prints a CLI configuration that points terraform or tofu at Larder. */
export function registerTerraformrc(program: Command): void {
  program
    .command("terraformrc")
    .description("Print a terraform/tofu CLI config file that installs from this mirror")
    .option("--tool <tool>", "terraform or tofu", "terraform")
    .option(
      "--mode <mode>",
      "host (registry override, plain HTTP, keeps lock files signed) or network-mirror (HTTPS)",
      "host",
    )
    .option("--port <port>", `HTTP port of larder serve (default: $LARDER_PORT or ${DEFAULT_HTTP_PORT})`)
    .option(
      "--https-port <port>",
      `HTTPS port of larder serve (default: $LARDER_HTTPS_PORT or ${DEFAULT_HTTPS_PORT})`,
    )
    .option("--host <address>", "address clients use to reach Larder", "127.0.0.1")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: TerraformrcOptions) => {
      if (options.tool !== "terraform" && options.tool !== "tofu") {
        throw new LarderError("invalid_input", `Invalid --tool "${options.tool}": use terraform or tofu.`);
      }
      if (options.mode !== "host" && options.mode !== "network-mirror") {
        throw new LarderError(
          "invalid_input",
          `Invalid --mode "${options.mode}": use host or network-mirror.`,
        );
      }
      const httpPort = resolvePort(options.port, "LARDER_PORT", DEFAULT_HTTP_PORT);
      const httpsPort = resolvePort(options.httpsPort, "LARDER_HTTPS_PORT", DEFAULT_HTTPS_PORT);
      // Only what is stored is read: the engine (registry clients, OpenPGP, jobs) is never loaded.
      const { openStoredMirror } = await import("../../engine/stored-mirror.js");
      const larder = await openStoredMirror(resolveDataDir(options));
      try {
        const tlsDir = join(larder.dataDir, "tls");
        // The CA is created here if `serve` has not run yet, so the printed paths exist and can be trusted now.
        // The certificate code (@peculiar/x509) loads only when a certificate is needed.
        const { ensureTlsMaterial, writeTrustBundle } =
          await import("../../server/tls/local-certificate-authority.js");
        const tls = await ensureTlsMaterial(tlsDir);
        const trustBundlePath = await writeTrustBundle(tlsDir, tls.caCertPem);
        const overridden = [...resolveUpstreams({}).keys()].filter((host) => !NON_REGISTRY_HOSTS.has(host));
        const extraHosts = [...new Set([...larder.storedHosts(), ...overridden])];
        process.stdout.write(
          renderCliConfig({
            tool: options.tool,
            mode: options.mode,
            httpBaseUrl: `http://${options.host}:${httpPort}`,
            httpsBaseUrl: `https://${options.host}:${httpsPort}`,
            extraHosts,
            caCertPath: tls.caCertPath,
            trustBundlePath,
          }),
        );
      } finally {
        larder.close();
      }
    });
}
