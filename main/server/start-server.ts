import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { LarderError } from "../core/errors.js";
import type { Larder } from "../engine/larder.js";
import type { PullThrough } from "../engine/pull-through.js";
import type { PullThroughMode } from "../engine/pull-through-mode.js";
import { AdminTokenFile } from "../engine/admin-token.js";
import type { CatalogBackgroundTiming } from "../engine/catalog/catalog-staleness.js";
import { BackgroundJobs } from "../engine/background-jobs.js";
import type { AdminContext, ListenerInfo } from "./admin/admin-context.js";
import { apiEventOf } from "./admin/engine-events.js";
import { DEFAULT_EVENT_STREAM_OPTIONS, EventStream, type EventStreamOptions } from "./admin/event-stream.js";
import { createApp } from "./app.js";
import { DEFAULT_LEAF_CHECK_INTERVAL_MS, keepLeafFresh } from "./tls/leaf-renewal.js";
import { ensureTlsMaterial, writeTrustBundle, type TlsMaterial } from "./tls/local-certificate-authority.js";
import type { TlsName } from "./tls/tls-names.js";

/** Where and how to listen. Port 0 picks a free port (tests). */
export interface ServerOptions {
  readonly host: string;
  readonly httpPort: number;
  /** undefined disables the HTTPS listener. */
  readonly httpsPort: number | undefined;
  readonly log?: (message: string) => void;
  /** Set for pull-through serving; undefined serves only what is stored and never contacts upstream. */
  readonly pullThrough?: PullThrough;
  /** Pull-through that can switch while serving (`larder serve` following the setting); wins over pullThrough. */
  readonly pullThroughMode?: PullThroughMode;
  /** Host names besides loopback the admin API and UI answer to (`--public-name`). */
  readonly publicNames?: readonly string[];
  /** How often changes by other processes on the data dir are looked for (default 1 s). */
  readonly watchIntervalMs?: number;
  /** Event stream limits (tests shorten the heartbeat). */
  readonly eventStream?: Partial<EventStreamOptions>;
  /** `--offline`: never contact an upstream, not even for the catalog (no look-ups, no background refresh). */
  readonly offline?: boolean;
  /** When the background catalog refresh looks for staleness; `false` turns it off (tests). */
  readonly catalogRefresh?: CatalogBackgroundTiming | false;
  /** Tell terraform/tofu what to run for a miss (a 410 naming the command); false: a bare 404 (`--plain-misses`). */
  readonly explainMisses?: boolean;
  /** Names besides loopback the HTTPS certificate answers to (`--tls-name`), within the CA's name constraints. */
  readonly tlsNames?: readonly TlsName[];
  /** The clock the HTTPS leaf's renewal reads (tests inject one that jumps ahead). */
  readonly now?: () => Date;
  /** How often the HTTPS leaf is checked for renewal while serving (default hourly). */
  readonly leafCheckIntervalMs?: number;
}

/** Running listeners and how to stop them. */
export interface RunningServer {
  readonly httpUrl: string;
  readonly httpsUrl: string | undefined;
  /** The TLS material the HTTPS listener presents now (renewed while serving). */
  readonly tls: TlsMaterial | undefined;
  /** The admin token file (`larder token`); the login URL carries its token. */
  readonly tokens: AdminTokenFile;
  /** Jobs this server runs: started through the admin API, or resumed after an interruption. */
  readonly jobs: BackgroundJobs;
  readonly events: EventStream;
  /** Stops accepting, lets requests in flight finish (up to graceMs), then closes the rest. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts the HTTP listener and the HTTPS listener (certificate from Larder's local CA, created on first start)
 * over one Express app.
 */
export async function startServer(larder: Larder, options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const tokens = AdminTokenFile.in(larder.dataDir);
  // Created (0600) before anything listens, so the login URL printed next always works.
  await tokens.current();
  const events = new EventStream({ ...DEFAULT_EVENT_STREAM_OPTIONS, ...options.eventStream });
  const jobs = new BackgroundJobs(larder.jobs, log);
  let listeners: ListenerInfo | undefined;
  const mode = options.pullThroughMode;
  const currentPullThrough = mode ? () => mode.current() : () => options.pullThrough;
  const shutdown = new AbortController();
  const admin: AdminContext = {
    larder,
    tokens,
    jobs,
    events,
    listeners: () => listeners,
    pullThroughEnabled: () => currentPullThrough() !== undefined,
    offline: options.offline === true,
    shutdown: shutdown.signal,
    log,
  };
  const unsubscribeEvents = larder.events.subscribe((event) => {
    const apiEvent = apiEventOf(event);
    if (apiEvent) events.publish(apiEvent);
  });
  const unwatch = larder.watchOtherProcesses(options.watchIntervalMs);
  const stopCatalogRefresh =
    admin.offline || options.catalogRefresh === false
      ? () => undefined
      : larder.catalogs.startBackgroundRefresh(options.catalogRefresh);
  const unsubscribe = (): void => {
    shutdown.abort();
    stopCatalogRefresh();
    unwatch();
    unsubscribeEvents();
  };
  const app = createApp(larder, {
    log,
    pullThrough: currentPullThrough,
    admin,
    publicNames: options.publicNames ?? [],
    explainMisses: options.explainMisses ?? true,
  });
  const servers: Server[] = [];
  let stopRenewal = (): void => undefined;
  const stopAdmin = async (): Promise<void> => {
    stopRenewal();
    unsubscribe();
    events.close();
    await jobs.stop();
  };
  try {
    const http = createHttpServer(app.handle);
    servers.push(http);
    const httpPort = await listen(http, options.host, options.httpPort);
    let tls: TlsMaterial | undefined;
    let httpsUrl: string | undefined;
    const now = options.now ?? (() => new Date());
    const tlsDir = join(larder.dataDir, "tls");
    const tlsNames = options.tlsNames ?? [];
    if (options.httpsPort !== undefined) {
      tls = await ensureTlsMaterial(tlsDir, { now: now(), names: tlsNames });
      const https = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, app.handle);
      servers.push(https);
      httpsUrl = urlOf("https", options.host, await listen(https, options.host, options.httpsPort));
      stopRenewal = keepLeafFresh(https, tls, {
        tlsDir,
        names: tlsNames,
        now,
        checkEveryMs: options.leafCheckIntervalMs ?? DEFAULT_LEAF_CHECK_INTERVAL_MS,
        log,
        onRenewed: (material) => {
          tls = material;
          if (listeners) listeners = { ...listeners, tls: material };
        },
      });
    }
    const httpUrl = urlOf("http", options.host, httpPort);
    listeners = {
      httpUrl,
      httpsUrl,
      tls,
      trustBundlePath: tls ? await writeTrustBundle(join(larder.dataDir, "tls"), tls.caCertPem) : undefined,
    };
    return {
      httpUrl,
      httpsUrl,
      get tls() {
        return tls;
      },
      tokens,
      jobs,
      events,
      close: async (graceMs = 5000) => {
        // Event streams never end by themselves: end them first, or closing would wait out the grace time.
        await stopAdmin();
        await closeAll(servers, graceMs);
      },
    };
  } catch (error) {
    await stopAdmin();
    await closeAll(servers, 0);
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === "EADDRINUSE"
          ? new LarderError(
              "invalid_input",
              `Port ${port} on ${host} is already in use. Stop the other process or choose another port with --port/--https-port.`,
            )
          : error.code === "EACCES"
            ? new LarderError(
                "invalid_input",
                `Not allowed to listen on ${host}:${port}. Choose a port above 1024.`,
              )
            : error,
      );
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlOf(scheme: string, host: string, port: number): string {
  const name = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return `${scheme}://${name}:${port}`;
}

async function closeAll(servers: readonly Server[], graceMs: number): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) {
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            server.closeAllConnections();
          }, graceMs);
          server.close(() => {
            clearTimeout(timer);
            resolve();
          });
          server.closeIdleConnections();
        }),
    ),
  );
}
