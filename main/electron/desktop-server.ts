import { openLarderFor, resolvePort, DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT } from "../cli/cli-context.js";
import { LarderError } from "../core/errors.js";
import { AdminTokenFile } from "../engine/admin-token.js";
import type { Larder } from "../engine/larder.js";
import { PullThroughMode } from "../engine/pull-through-mode.js";
import { startServer, type RunningServer } from "../server/start-server.js";
import { freePorts, identifyPortOwner } from "./port-owner.js";

/** The loopback address the app's server binds: the desktop serves this machine only (`larder serve` for more). */
export const DESKTOP_HOST = "127.0.0.1";

export interface DesktopPorts {
  readonly http: number;
  readonly https: number;
}

/** How the app got a server for its window. */
export type DesktopServer =
  /** This process runs the engine and server, as `larder serve` does. */
  | {
      readonly kind: "own";
      readonly larder: Larder;
      readonly server: RunningServer;
      readonly httpUrl: string;
      readonly token: string;
    }
  /** A `larder serve` on the same data dir already listens: the window uses it. */
  | { readonly kind: "attached"; readonly httpUrl: string; readonly token: string; readonly dataDir: string }
  /** Something else holds a port: say who, and offer free ones. */
  | {
      readonly kind: "conflict";
      readonly ports: DesktopPorts;
      readonly detail: string;
      readonly suggested: DesktopPorts;
    };

/** The ports the app asks for: $LARDER_PORT/$LARDER_HTTPS_PORT, else the defaults `larder serve` uses. */
export function desktopPorts(): DesktopPorts {
  return {
    http: resolvePort(undefined, "LARDER_PORT", DEFAULT_HTTP_PORT),
    https: resolvePort(undefined, "LARDER_HTTPS_PORT", DEFAULT_HTTPS_PORT),
  };
}

const inUse = (error: unknown): boolean =>
  error instanceof LarderError && /is already in use/.test(error.message);

/**
 * Starts the engine and server `larder serve` starts, on the same data dir (LARDER_DATA_DIR or the platform's),
 * with the same environment (LARDER_UPSTREAMS, …). A port in use is not an error: it is either our own mirror
 * (attach) or a conflict the window explains.
 */
export async function startDesktopServer(
  ports: DesktopPorts,
  log: (line: string) => void,
): Promise<DesktopServer> {
  const larder = await openLarderFor({});
  const token = await AdminTokenFile.in(larder.dataDir).current();
  const mode = new PullThroughMode(
    (ttlMs) => larder.createPullThrough(ttlMs),
    () => larder.pullThroughSetting(),
    {},
  );
  try {
    const server = await startServer(larder, {
      host: DESKTOP_HOST,
      httpPort: ports.http,
      httpsPort: ports.https,
      log,
      pullThroughMode: mode,
    });
    server.jobs.resumeInterrupted();
    return {
      kind: "own",
      larder,
      server,
      httpUrl: server.httpUrl,
      token,
    };
  } catch (error) {
    const dataDir = larder.dataDir;
    larder.close();
    if (!inUse(error)) throw error;
    const httpUrl = `http://${DESKTOP_HOST}:${ports.http}`;
    const owner = await identifyPortOwner(httpUrl, dataDir, token);
    if (owner.kind === "same-larder") return { kind: "attached", httpUrl, token, dataDir };
    const [http = 0, https = 0] = await freePorts(DESKTOP_HOST, 2);
    return {
      kind: "conflict",
      ports,
      detail: `${(error as Error).message} (${owner.detail})`,
      suggested: { http, https },
    };
  }
}

/** Stops what this process runs (nothing for an attached window): requests in flight finish first. */
export async function stopDesktopServer(server: DesktopServer): Promise<void> {
  if (server.kind !== "own") return;
  await server.server.close();
  server.larder.close();
}
