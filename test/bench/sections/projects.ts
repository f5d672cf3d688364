import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runLarder } from "../../helpers/larder-cli.js";
import { runTofu, tofuAvailability } from "../../helpers/tofu.js";
import type { BenchContext } from "../context.js";
import type { SyntheticModule, SyntheticProvider } from "../fixtures/bench-catalog.js";
import { startBenchRegistry, type BenchRegistry } from "../fixtures/bench-registry.js";
import { median, timed } from "../stats.js";
import { BENCH_HOST, stockThroughEngine } from "../stock.js";
import type { BenchRow } from "../table.js";

const SECTION = "projects";
const PLATFORMS = ["linux_amd64", "darwin_arm64", "windows_amd64"];
/** Issue 16: cold `mirror project` ≥ 2× faster than `tofu providers mirror`, a re-run ≥ 5× with no archive bytes. */
const COLD_TARGET = 2;
const RERUN_TARGET = 5;
/** Issue 16: `larder check` of 30 providers and 20 modules under 300 ms. */
const CHECK_TARGET_MS = 300;
const CHECK_PROVIDERS = 30;
const CHECK_MODULES = 20;
const RUNS = 3;

/** Three providers on three platforms; one platform of the first weighs ~200 MB (20 MB at the quick scale). */
function projectProviders(bigMb: number): SyntheticProvider[] {
  return ["big", "mid", "small"].map((type, index) => ({
    namespace: "bench",
    type,
    version: "1.0.0",
    platforms: PLATFORMS,
    ...(index === 0 ? { archiveBytesOn: { linux_amd64: bigMb * 1_000_000 } } : {}),
  }));
}

function requiredProviders(providers: readonly SyntheticProvider[]): string {
  const lines = providers.map(
    (p) => `    ${p.type} = { source = "${BENCH_HOST}/${p.namespace}/${p.type}", version = "${p.version}" }`,
  );
  return ["terraform {", "  required_providers {", ...lines, "  }", "}", ""].join("\n");
}

async function project(dir: string, main: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "main.tf"), main);
}

/** A CLI config pointing terraform's default host straight at the bench registry (no mirror, plain HTTP). */
async function directConfig(path: string, registry: BenchRegistry): Promise<string> {
  await writeFile(
    path,
    `host "${BENCH_HOST}" {\n  services = {\n    "providers.v1" = "${registry.url}/v1/providers/"\n    "modules.v1"   = "${registry.url}/v1/modules/"\n  }\n}\n`,
  );
  return path;
}

async function larder(args: readonly string[]): Promise<number> {
  const { ms, value } = await timed(() => runLarder(args));
  if (value.code !== 0) throw new Error(`bench: larder ${args.join(" ")} failed: ${value.stderr}`);
  return ms;
}

/**
 * `larder mirror project` of 3 providers × 3 platforms (one ~200 MB archive) against `tofu providers mirror` of the
 * same project from the same registry, cold and re-run (bytes the registry sent counted for Larder's re-run); then
 * `larder check` of a 30-provider, 20-module project, and the start-up of commands that need no engine.
 */
export async function benchProjects(context: BenchContext): Promise<BenchRow[]> {
  const root = join(context.workDir, "projects");
  const bigMb = context.scale.name === "quick" ? 20 : 200;
  const providers = projectProviders(bigMb);
  const rows: BenchRow[] = [];
  const registry = await startBenchRegistry(join(root, "upstream"), providers);
  try {
    rows.push(...(await mirrorRows(context, root, registry, providers, bigMb)));
  } finally {
    await registry.stop();
  }
  rows.push(...(await checkRows(context, root)));
  rows.push(...(await startupRows(root)));
  return rows;
}

async function mirrorRows(
  context: BenchContext,
  root: string,
  registry: BenchRegistry,
  providers: readonly SyntheticProvider[],
  bigMb: number,
): Promise<BenchRow[]> {
  const tofu = tofuAvailability();
  const dir = join(root, "project");
  await project(dir, requiredProviders(providers));
  const platformFlags = PLATFORMS.flatMap((platform) => ["--platform", platform]);
  const what = `3 providers × 3 platforms (one ${bigMb} MB archive)`;
  const common = { section: SECTION, baselineName: "tofu providers mirror", unit: "ms" };
  const coldLarder: number[] = [];
  const rerunLarder: number[] = [];
  const coldTofu: number[] = [];
  const rerunTofu: number[] = [];
  let rerunBytes = 0;
  const rc = await directConfig(join(root, "direct.tfrc"), registry);
  for (let run = 0; run < RUNS; run += 1) {
    context.log(`${SECTION}: mirror project, round ${run + 1} of ${RUNS}`);
    const dataDir = join(root, `data-${run}`);
    await rm(dataDir, { recursive: true, force: true });
    const args = [
      ...["mirror", "project", dir, ...platformFlags, "--for", "tofu"],
      ...["--data-dir", dataDir, "--upstream", `${BENCH_HOST}=${registry.url}`],
    ];
    coldLarder.push(await larder(args));
    registry.resetCounters();
    rerunLarder.push(await larder(args));
    rerunBytes = Math.max(rerunBytes, registry.bytesServed());
    await rm(dataDir, { recursive: true, force: true });
    if (!tofu.available) continue;
    const target = join(root, `tofu-mirror-${run}`);
    await rm(target, { recursive: true, force: true });
    const tofuArgs = ["providers", "mirror", ...PLATFORMS.map((p) => `-platform=${p}`), target];
    for (const into of [coldTofu, rerunTofu]) {
      const { ms, value } = await timed(() => runTofu(tofuArgs, { cwd: dir, cliConfigFile: rc }));
      if (value.code !== 0) throw new Error(`bench: tofu providers mirror failed: ${value.output}`);
      into.push(ms);
    }
    await rm(target, { recursive: true, force: true });
  }
  const ratio = (tofuMs: number | undefined, larderMs: number | undefined): number | undefined =>
    tofuMs === undefined || larderMs === undefined || larderMs === 0 ? undefined : tofuMs / larderMs;
  const cold = ratio(median(coldTofu), median(coldLarder));
  const rerun = ratio(median(rerunTofu), median(rerunLarder));
  const note = tofu.available ? `median of ${RUNS}` : `tofu skipped: ${tofu.reason}`;
  return [
    {
      ...common,
      metric: `mirror project, cold: ${what}`,
      larder: median(coldLarder),
      baseline: median(coldTofu),
      target: `≥ ${COLD_TARGET}× faster`,
      met: cold === undefined ? undefined : cold >= COLD_TARGET,
      note: cold === undefined ? note : `${note}; ${cold.toFixed(2)}× faster`,
    },
    {
      ...common,
      metric: "mirror project, re-run",
      larder: median(rerunLarder),
      baseline: median(rerunTofu),
      target: `≥ ${RERUN_TARGET}× faster, 0 archive bytes`,
      met: rerun === undefined ? undefined : rerun >= RERUN_TARGET && rerunBytes < 1_000_000,
      note: `${note}; ${rerun === undefined ? "" : `${rerun.toFixed(2)}× faster; `}${rerunBytes === 0 ? "Larder's re-run asked the registry nothing" : `registry sent ${rerunBytes} bytes on Larder's re-run (JSON only)`}`,
    },
  ];
}

/** 30 providers (one platform each) and 20 modules, every module calling one provider, all stored. */
async function checkRows(context: BenchContext, root: string): Promise<BenchRow[]> {
  const providers: SyntheticProvider[] = Array.from({ length: CHECK_PROVIDERS }, (_, index) => ({
    namespace: "bench",
    type: `p${index + 1}`,
    version: "1.0.0",
    platforms: ["linux_amd64"],
  }));
  const modules: SyntheticModule[] = Array.from({ length: CHECK_MODULES }, (_, index) => ({
    namespace: "bench",
    name: `m${index + 1}`,
    system: "aws",
    version: "1.0.0",
  }));
  const registry = await startBenchRegistry(join(root, "check-upstream"), providers, modules);
  const dataDir = join(root, "check-data");
  try {
    context.log(`${SECTION}: stocking ${CHECK_PROVIDERS} providers and ${CHECK_MODULES} modules`);
    await stockThroughEngine(dataDir, registry.url, providers, modules);
  } finally {
    await registry.stop();
  }
  const dir = join(root, "check-project");
  const calls = modules.map(
    (m) =>
      `module "${m.name}" {\n  source  = "${BENCH_HOST}/${m.namespace}/${m.name}/${m.system}"\n  version = "${m.version}"\n}\n`,
  );
  await project(dir, `${requiredProviders(providers)}\n${calls.join("\n")}`);
  const args = ["check", dir, "--platform", "linux_amd64", "--for", "terraform", "--data-dir", dataDir];
  // The first check of these files parses them (HashiCorp's HCL parser in WebAssembly); later ones read the cache.
  const first = await larder(args);
  const again: number[] = [];
  for (let run = 0; run < 5; run += 1) again.push(await larder(args));
  const common = { section: SECTION, baselineName: "", unit: "ms", baseline: undefined };
  const checkMs = median(again);
  return [
    {
      ...common,
      metric: `check, ${CHECK_PROVIDERS} providers + ${CHECK_MODULES} modules`,
      larder: checkMs,
      target: `< ${CHECK_TARGET_MS} ms`,
      met: checkMs !== undefined && checkMs < CHECK_TARGET_MS,
      note: "median of 5 whole `larder check` processes, files already read once",
    },
    {
      ...common,
      metric: "check, same project, first time",
      larder: first,
      target: "",
      met: undefined,
      note: "parses every file (HCL in WebAssembly), then caches what each says by its hash",
    },
  ];
}

/** How long commands that need no engine take, whole process, median of 5. */
async function startupRows(root: string): Promise<BenchRow[]> {
  const dataDir = join(root, "startup-data");
  const empty = join(root, "startup-project");
  await project(empty, "terraform {}\n");
  const commands: [string, string[]][] = [
    ["larder --version", ["--version"]],
    ["larder terraformrc", ["terraformrc", "--data-dir", dataDir]],
    ["larder check (empty project)", ["check", empty, "--data-dir", dataDir]],
    ["larder list (empty mirror)", ["list", "--data-dir", dataDir]],
  ];
  const rows: BenchRow[] = [];
  for (const [name, args] of commands) {
    await larder(args);
    const times: number[] = [];
    for (let run = 0; run < 5; run += 1) times.push(await larder(args));
    rows.push({
      section: SECTION,
      metric: `start-up: ${name}`,
      unit: "ms",
      larder: median(times),
      baseline: undefined,
      baselineName: "",
      target: "",
      met: undefined,
      note: "whole process, median of 5",
    });
  }
  const node: number[] = [];
  for (let run = 0; run < 5; run += 1) node.push((await timed(() => runNode())).ms);
  rows.push({
    section: SECTION,
    metric: "start-up: node -e 0 (for scale)",
    unit: "ms",
    larder: median(node),
    baseline: undefined,
    baselineName: "",
    target: "",
    met: undefined,
    note: "Node itself, no Larder code",
  });
  return rows;
}

function runNode(): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("close", () => {
      resolve();
    });
  });
}
