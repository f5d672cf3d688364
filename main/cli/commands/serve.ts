import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import { PullThroughMode } from "../../engine/pull-through-mode.js";
import {
  collect,
  DEFAULT_HTTP_PORT,
  DEFAULT_HTTPS_PORT,
  openLarderFor,
  resolvePort,
} from "../cli-context.js";

interface ServeOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly listen: string;
  readonly port?: string;
  readonly httpsPort?: string;
  readonly offline?: boolean;
  readonly pullThrough?: boolean;
  readonly cacheTtl?: string;
  readonly concurrency?: string;
  readonly perHost?: string;
  readonly requireSignatures?: boolean;
  readonly publicName?: string[];
  readonly plainMisses?: boolean;
  readonly tlsName?: string[];
}

/** `larder serve`: runs the mirror server until SIGINT/SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("Serve the mirror to terraform/tofu over HTTP and HTTPS (Ctrl-C to stop)")
    .option("--data-dir <dir>", "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)")
    .option("--listen <address>", "address to bind; use 0.0.0.0 to serve other hosts", "127.0.0.1")
    .option("--port <port>", `HTTP port (default: $LARDER_PORT or ${DEFAULT_HTTP_PORT})`)
    .option("--https-port <port>", `HTTPS port (default: $LARDER_HTTPS_PORT or ${DEFAULT_HTTPS_PORT})`)
    .option(
      "--upstream <HOST=URL>",
      "reach registry HOST at URL (repeatable; also $LARDER_UPSTREAMS)",
      collect,
    )
    .option(
      "--pull-through",
      "fetch packages terraform asks for and the mirror lacks from upstream, verified, then serve them",
    )
    .option(
      "--offline",
      "never contact an upstream: serve what is stored, search the catalog cache only, no background catalog refresh",
    )
    .option(
      "--cache-ttl <seconds>",
      "with pull-through: how long upstream version lists are cached (default: the pullThroughTtlSeconds setting, 300)",
    )
    .option("--concurrency <n>", "job downloads at once, in all (default 4)")
    .option("--per-host <n>", "job downloads at once from one upstream host (default 2)")
    .option(
      "--public-name <host>",
      "a name other hosts reach this server by, allowed for the admin API and UI besides loopback (repeatable)",
      collect,
    )
    .option(
      "--require-signatures",
      "refuse keyless providers that tofu would accept unsigned (also LARDER_REQUIRE_SIGNATURES=1)",
    )
    .option(
      "--tls-name <name>",
      "a host name or IP address other hosts reach this server by, added to the HTTPS certificate (repeatable; " +
        "for --listen on a LAN; the local CA must permit it, see larder tls rotate)",
      collect,
    )
    .option(
      "--plain-misses",
      "answer what is not mirrored with a bare 404 for terraform/tofu too, instead of a 410 that names the larder " +
        "command (keeps terraform falling through to a filesystem_mirror listed before Larder)",
    )
    .action(async (options: ServeOptions) => {
      if (options.pullThrough && options.offline) {
        throw new LarderError(
          "invalid_input",
          "--pull-through and --offline contradict each other; choose one.",
        );
      }
      const flagTtl = options.cacheTtl === undefined ? undefined : Number(options.cacheTtl);
      if (flagTtl !== undefined && (!Number.isFinite(flagTtl) || flagTtl < 0)) {
        throw new LarderError(
          "invalid_input",
          `Invalid --cache-ttl "${options.cacheTtl ?? ""}": use a number of seconds, 0 or more.`,
        );
      }
      const httpPort = resolvePort(options.port, "LARDER_PORT", DEFAULT_HTTP_PORT);
      const httpsPort = resolvePort(options.httpsPort, "LARDER_HTTPS_PORT", DEFAULT_HTTPS_PORT);
      // Express, TLS and the routes load only for `serve`, so other commands start faster.
      const { startServer } = await import("../../server/start-server.js");
      const { parseTlsName } = await import("../../server/tls/tls-names.js");
      const tlsNames = (options.tlsName ?? []).map(parseTlsName);
      const larder = await openLarderFor(options);
      // Flags fix the mode for this process; without them the pullThrough settings decide, also while serving.
      const mode = new PullThroughMode(
        (ttlMs) => larder.createPullThrough(ttlMs),
        () => larder.pullThroughSetting(),
        {
          ...(options.pullThrough ? { enabled: true } : options.offline ? { enabled: false } : {}),
          ...(flagTtl === undefined ? {} : { ttlSeconds: flagTtl }),
        },
      );
      const { enabled: pullThroughOn, ttlSeconds } = mode.effective();
      const server = await startServer(larder, {
        host: options.listen,
        httpPort,
        httpsPort,
        log: (message) => process.stderr.write(`${message}\n`),
        pullThroughMode: mode,
        publicNames: options.publicName ?? [],
        offline: options.offline === true,
        explainMisses: options.plainMisses !== true,
        tlsNames,
      }).catch((error: unknown) => {
        larder.close();
        throw error;
      });
      // Listen for signals before announcing the URLs: whoever waits for them may signal us right away.
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          process.stdout.write(`Received ${signal}; finishing requests in flight and stopping.\n`);
          resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      process.stdout.write(
        [
          `Larder is serving ${larder.dataDir}`,
          `  HTTP:  ${server.httpUrl}`,
          `  HTTPS: ${server.httpsUrl ?? "off"} (CA: ${server.tls?.caCertPath ?? "-"})`,
          pullThroughOn
            ? `  Mode:  pull-through (misses are fetched from upstream and verified; version lists cached ${ttlSeconds}s)`
            : options.offline
              ? "  Mode:  offline (only what is stored is served; no upstream is contacted, the catalog included)"
              : "  Mode:  stored only (misses are not fetched; the catalog refreshes from the registries when stale)",
          ...(server.tls && !server.tls.caNameConstrained
            ? [
                "  Note:  the local CA was made by an earlier Larder without name constraints, so its key could sign for",
                `         any host. Replace it with: larder tls rotate --data-dir ${larder.dataDir} (then trust the new CA).`,
              ]
            : []),
          `  Admin: ${server.httpUrl}/?token=${await server.tokens.current()}`,
          "         (open it to sign in to the admin API; scripts send Authorization: Bearer TOKEN, see larder token)",
          "Point terraform/tofu at it with: larder terraformrc --tool tofu > larder.tfrc && export TF_CLI_CONFIG_FILE=$PWD/larder.tfrc",
          "",
        ].join("\n"),
      );
      server.jobs.resumeInterrupted();
      await stopped;
      await server.close();
      larder.close();
    });
}
