import { openTerraformLarder } from "../../helpers/open-larder.js";
import { Larder } from "../../../main/engine/larder.js";
import { startServer, type RunningServer } from "../../../main/server/start-server.js";
import type { FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

export interface PullThroughServer {
  readonly larder: Larder;
  readonly server: RunningServer;
  readonly temp: TempDir;
}

/**
 * A pull-through server over an empty data dir, every upstream host pointed at the fixture; with
 * `pullThrough: false` the same server in the default offline mode.
 */
export async function startPullThrough(
  fixture: FixtureUpstream,
  ttlMs: number,
  pullThrough = true,
): Promise<PullThroughServer> {
  const temp = await makeTempDir("pull-through");
  const larder = await openTerraformLarder({
    dataDir: temp.path,
    upstreams: new Map([["registry.terraform.io", fixture.url]]),
    http: { retries: 0 },
  });
  const server = await startServer(larder, {
    host: "127.0.0.1",
    httpPort: 0,
    httpsPort: undefined,
    ...(pullThrough ? { pullThrough: larder.createPullThrough(ttlMs) } : {}),
    log: () => undefined,
  });
  return { larder, server, temp };
}

/** Stops the server, closes the engine and removes the data dir. */
export async function stopPullThrough(entry: PullThroughServer): Promise<void> {
  await entry.server.close();
  entry.larder.close();
  await entry.temp.remove();
}
