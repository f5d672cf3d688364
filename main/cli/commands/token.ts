import type { Command } from "commander";
import type { AdminTokenFile } from "../../engine/admin-token.js";
import { auditCli, DEFAULT_HTTP_PORT, openLarderFor, resolveDataDir, resolvePort } from "../cli-context.js";

interface TokenOptions {
  readonly dataDir?: string;
  readonly rotate?: boolean;
  readonly url?: boolean;
  readonly port?: string;
}

/** `larder token`: prints the admin API token (creating it), its login URL, or replaces it. */
export function registerToken(program: Command): void {
  program
    .command("token")
    .description("Print the admin API token (for Authorization: Bearer), or its login URL, or rotate it")
    .option(
      "--rotate",
      "replace the token; the old one stops working at once, also for a running larder serve",
    )
    .option("--url", "print the login URL of larder serve instead of the bare token")
    .option(
      "--port <port>",
      `HTTP port of larder serve, for --url (default: $LARDER_PORT or ${DEFAULT_HTTP_PORT})`,
    )
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .action(async (options: TokenOptions) => {
      const port = resolvePort(options.port, "LARDER_PORT", DEFAULT_HTTP_PORT);
      // Loaded when run: it pulls in node:crypto, which starting `larder` need not pay for.
      const { AdminTokenFile } = await import("../../engine/admin-token.js");
      const tokens = AdminTokenFile.in(resolveDataDir(options));
      const token = options.rotate ? await rotate(tokens, options) : await tokens.current();
      process.stdout.write(options.url ? `http://127.0.0.1:${port}/?token=${token}\n` : `${token}\n`);
      if (options.rotate)
        process.stderr.write(`Rotated the admin token in ${tokens.path}; sign in again with the new one.\n`);
    });
}

/** Rotation is a state change, so it is audited; printing the token is not, and needs no engine. */
async function rotate(tokens: AdminTokenFile, options: TokenOptions): Promise<string> {
  const larder = await openLarderFor(options);
  try {
    return await auditCli(larder, "token.rotate", tokens.path, () => tokens.rotate());
  } finally {
    larder.close();
  }
}
