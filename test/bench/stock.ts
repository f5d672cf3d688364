import { spawn } from "node:child_process";
import { cliEnv, LARDER_BIN, LARDER_NODE_FLAGS, type CliResult } from "../helpers/larder-cli.js";
import type { SyntheticModule, SyntheticProvider } from "./fixtures/bench-catalog.js";
import { sampleRss } from "./rss.js";

/** The registry host every synthetic provider is published under; `--upstream` sends it to the bench registry. */
export const BENCH_HOST = "registry.terraform.io";

/** How a CLI mirror run went. */
export interface CliMirrorRun {
  readonly ms: number;
  /** Peak resident memory of the `larder mirror` process (VmHWM), MB. */
  readonly peakRssMb: number | undefined;
}

/**
 * Mirrors one synthetic provider version (all its platforms) with the real `larder mirror provider` CLI into
 * `dataDir`, measuring its wall time and peak RSS; throws with the CLI's message when it fails.
 */
export async function mirrorWithCli(
  dataDir: string,
  registryUrl: string,
  provider: SyntheticProvider,
): Promise<CliMirrorRun> {
  const args = [
    "mirror",
    "provider",
    `${BENCH_HOST}/${provider.namespace}/${provider.type}`,
    "--version",
    provider.version,
    ...provider.platforms.flatMap((platform) => ["--platform", platform]),
    "--upstream",
    `${BENCH_HOST}=${registryUrl}`,
    "--data-dir",
    dataDir,
  ];
  const start = performance.now();
  const { result, peakRssMb } = await runMeasured(args);
  const ms = performance.now() - start;
  if (result.code !== 0) throw new Error(`larder ${args.join(" ")} failed: ${result.stderr}`);
  return { ms, peakRssMb };
}

/** Runs `larder ARGS…` like the test helper does, sampling the child's peak RSS until it exits. */
export function runMeasured(
  args: readonly string[],
): Promise<{ result: CliResult; peakRssMb: number | undefined }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LARDER_NODE_FLAGS, LARDER_BIN, ...args], {
      env: cliEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const sampler = child.pid === undefined ? undefined : sampleRss(child.pid, 10);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    // "exit" fires before the pipes close; by then /proc/PID is gone, so the sampler keeps its last reading.
    child.on("close", (code) => {
      resolve({ result: { code, stdout, stderr }, peakRssMb: sampler?.stop() });
    });
  });
}

/**
 * Stocks a data dir through the engine, in process, with each provider version (all its platforms) and each module
 * version (without dependencies): set-up for sections that measure something else than mirroring.
 */
export async function stockThroughEngine(
  dataDir: string,
  registryUrl: string,
  providers: readonly SyntheticProvider[],
  modules: readonly SyntheticModule[],
): Promise<void> {
  const { Larder } = await import("../../main/engine/larder.js");
  const larder = await Larder.open({ dataDir, upstreams: new Map([[BENCH_HOST, registryUrl]]) });
  try {
    for (const p of providers) {
      const report = await larder.mirrorProviders({
        address: `${BENCH_HOST}/${p.namespace}/${p.type}`,
        versions: [p.version],
        platforms: p.platforms,
      });
      if (report.failed.length > 0) throw new Error(`bench: ${report.failed[0]?.message ?? ""}`);
    }
    for (const m of modules) {
      const report = await larder.mirrorModules({
        address: `${BENCH_HOST}/${m.namespace}/${m.name}/${m.system}`,
        versions: [m.version],
        withDependencies: false,
        platforms: [],
      });
      if (report.failed.length > 0) throw new Error(`bench: ${report.failed[0]?.message ?? ""}`);
    }
  } finally {
    larder.close();
  }
}
