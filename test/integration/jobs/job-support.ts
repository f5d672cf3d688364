import { openTerraformLarder } from "../../helpers/open-larder.js";
import { setTimeout as sleep } from "node:timers/promises";
import { Larder } from "../../../main/engine/larder.js";
import type { LarderEvent } from "../../../main/engine/larder-events.js";
import type { WorkerLimits } from "../../../main/jobs/worker-pool.js";
import type { FixtureUpstream } from "../../fixtures/upstream/index.js";

/** Opens an engine whose registry.terraform.io and registry.opentofu.org both point at the fixture. */
export function openJobLarder(
  fixture: FixtureUpstream,
  dataDir: string,
  workers: Partial<WorkerLimits> = {},
): Promise<Larder> {
  return openTerraformLarder({
    dataDir,
    upstreams: new Map([
      ["registry.terraform.io", fixture.url],
      ["registry.opentofu.org", fixture.url],
    ]),
    http: { retries: 3, retryBaseDelayMs: 10 },
    workers,
    jobTiming: { pollMs: 50, heartbeatMs: 200, staleAfterMs: 15_000 },
  });
}

/** Resolves with the first bus event that matches. */
export function nextEvent(larder: Larder, matches: (event: LarderEvent) => boolean): Promise<LarderEvent> {
  return new Promise((resolve) => {
    const unsubscribe = larder.events.subscribe((event) => {
      if (!matches(event)) return;
      unsubscribe();
      resolve(event);
    });
  });
}

/** Resolves once the job has received some archive bytes. */
export function firstBytes(larder: Larder, jobId: number): Promise<LarderEvent> {
  return nextEvent(
    larder,
    (event) => event.kind === "progress" && event.job === jobId && event.bytesDone > 0,
  );
}

/** Polls a condition (a state outside this process: files, another process, the fixture's sockets). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(25);
  }
}
