import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { auditCli, collect, openLarderFor, type CommonOptions } from "../cli-context.js";
import { table } from "../table.js";

const DATA_DIR_HELP = "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)";

interface AddOptions extends CommonOptions {
  readonly url?: string;
  readonly tokenStdin?: boolean;
}

/**
 * `larder upstream list|add|test|remove`: the registries Larder mirrors from, e.g. a private one with an API token.
 * A token is read from stdin only (argv shows in `ps` and shell history) and never printed.
 */
export function registerUpstream(program: Command): void {
  const upstream = program
    .command("upstream")
    .description("List or change the upstream registries (base URLs and API tokens)");
  upstream
    .command("list")
    .description("List the configured registries; tokens show only as yes/no")
    .option("--json", "print JSON: [{ host, url, hasToken, source }]")
    .option("--upstream <HOST=URL>", "as for mirror: shown with source flag", collect)
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: CommonOptions & { readonly json?: boolean }) => {
      const larder = await openLarderFor(options);
      try {
        const entries = larder.listUpstreams();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
          return;
        }
        if (entries.length === 0) {
          process.stdout.write(
            "No upstream registries configured: each host is reached at https://HOST without a token.\n",
          );
          return;
        }
        const rows = entries.map((entry) => [
          entry.host,
          entry.url ?? `https://${entry.host}`,
          entry.hasToken ? "yes" : "no",
          entry.source,
        ]);
        process.stdout.write(table(["HOST", "URL", "TOKEN", "FROM"], rows));
      } finally {
        larder.close();
      }
    });
  upstream
    .command("add")
    .description(
      "Add or change a registry, e.g. a private one: echo $TOKEN | larder upstream add HOST --token-stdin",
    )
    .argument("<host>", "registry host name, e.g. registry.example.com")
    .option(
      "--url <url>",
      "reach the host at this base URL instead of https://HOST (like --upstream HOST=URL)",
    )
    .option("--token-stdin", "read the registry's API token from stdin (sent as Authorization: Bearer)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (host: string, options: AddOptions) => {
      const token = options.tokenStdin ? await readStdin() : undefined;
      const larder = await openLarderFor(options);
      try {
        const entry = await auditCli(
          larder,
          "upstream.set",
          host,
          () =>
            larder.setUpstream({
              host,
              ...(options.url === undefined ? {} : { url: options.url }),
              ...(token === undefined ? {} : { token }),
            }),
          // Whether a token was set, never the token.
          (set) => `url ${set.url ?? "(default)"}, ${set.hasToken ? "with" : "without"} a token`,
        );
        const where = entry.url ?? `https://${entry.host}`;
        const flag = entry.source === "flag" ? " (for this command, --upstream overrides the URL)" : "";
        process.stdout.write(
          `Upstream ${entry.host} is reached at ${where}${entry.hasToken ? " with a token" : ""}${flag}.\n`,
        );
      } finally {
        larder.close();
      }
    });
  upstream
    .command("test")
    .description("Check that a registry answers as configured: discovery, its APIs, and the token")
    .argument("<host>", "registry host name, e.g. registry.example.com")
    .option("--json", "print JSON: { host, baseUrl, hasToken, ok, steps: [{ name, ok, detail }], elapsedMs }")
    .option("--upstream <HOST=URL>", "as for mirror: test the host at this URL", collect)
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (host: string, options: CommonOptions & { readonly json?: boolean }) => {
      const larder = await openLarderFor(options);
      try {
        const check = await larder.checkUpstream(host);
        if (options.json) process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
        else {
          const token = check.hasToken ? "with its token" : "without a token";
          process.stdout.write(`${check.host} at ${check.baseUrl}, ${token} (${check.elapsedMs} ms):\n`);
          for (const step of check.steps)
            process.stdout.write(`  ${step.ok ? "ok  " : "FAIL"} ${step.name}: ${step.detail}\n`);
        }
        const failed = check.steps.find((step) => !step.ok);
        if (failed)
          throw new LarderError(
            "upstream_error",
            `${check.host} cannot be mirrored from as configured: ${failed.detail}`,
          );
      } finally {
        larder.close();
      }
    });
  upstream
    .command("remove")
    .description("Forget a registry's URL and token")
    .argument("<host>", "registry host name")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (host: string, options: CommonOptions) => {
      const larder = await openLarderFor(options);
      try {
        await auditCli(larder, "upstream.remove", host, () => larder.removeUpstream(host));
        process.stdout.write(`Removed upstream ${host.trim().toLowerCase()}.\n`);
      } finally {
        larder.close();
      }
    });
}

/** The whole of stdin as text; refuses a terminal, where nobody would see the prompt-less wait. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new LarderError(
      "invalid_input",
      '--token-stdin reads the token from a pipe, e.g.: printf %s "$TOKEN" | larder upstream add HOST --token-stdin',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  // Only the trailing newline echo adds is dropped here; the token check refuses anything else unusual.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
