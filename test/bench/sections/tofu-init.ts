import { copyFile, link, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runLarder } from "../../helpers/larder-cli.js";
import { runTofu, tofuAvailability } from "../../helpers/tofu.js";
import type { BenchContext } from "../context.js";
import {
  moduleArchivePath,
  type SyntheticModule,
  type SyntheticProvider,
} from "../fixtures/bench-catalog.js";
import { startBenchRegistry } from "../fixtures/bench-registry.js";
import { startLarder, startStaticServer, type ServerChild } from "../processes.js";
import { median, timed } from "../stats.js";
import { BENCH_HOST, stockThroughEngine } from "../stock.js";
import type { BenchRow } from "../table.js";

const SECTION = "tofu init";
const PROVIDERS = 10;
const MODULES = 5;

const providers: SyntheticProvider[] = Array.from({ length: PROVIDERS }, (_, index) => ({
  namespace: "bench",
  type: `tf${index + 1}`,
  version: "1.0.0",
  platforms: ["linux_amd64"],
}));
const modules: SyntheticModule[] = Array.from({ length: MODULES }, (_, index) => ({
  namespace: "bench",
  name: `mod${index + 1}`,
  system: "aws",
  version: "1.0.0",
}));

/** main.tf requiring every provider and calling every module, from the registry or from `moduleUrl`. */
function mainTf(moduleSource: (module: SyntheticModule) => string, withVersion: boolean): string {
  const required = providers.map(
    (p) => `    ${p.type} = { source = "${BENCH_HOST}/${p.namespace}/${p.type}", version = "${p.version}" }`,
  );
  const calls = modules.map((m) =>
    [
      `module "${m.name}" {`,
      `  source = "${moduleSource(m)}"`,
      ...(withVersion ? [`  version = "${m.version}"`] : []),
      "}",
    ].join("\n"),
  );
  return ["terraform {", "  required_providers {", ...required, "  }", "}", "", ...calls, ""].join("\n");
}

function baselineModulePath(module: SyntheticModule): string {
  return moduleArchivePath(module).replace(/\.tar\.gz$/, ".tgz");
}

/** Times one `tofu init` in a fresh project directory (no .terraform, no lock file, no plugin cache). */
async function timeInit(dir: string, main: string, cliConfigFile: string): Promise<number> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "main.tf"), main);
  const { ms, value } = await timed(() => runTofu(["init", "-input=false"], { cwd: dir, cliConfigFile }));
  if (value.code !== 0) throw new Error(`bench: tofu init failed in ${dir}: ${value.output}`);
  return ms;
}

/**
 * `tofu init` of a project with 10 providers and 5 modules through Larder (host mode, `larder terraformrc`)
 * against a filesystem_mirror directory holding the same provider zips, whose modules are the same .tar.gz
 * archives fetched by URL from sirv (terraform has no module mirror).
 */
export async function benchTofuInit(context: BenchContext): Promise<BenchRow[]> {
  const tofu = tofuAvailability();
  const common = { section: SECTION, baselineName: "fs mirror" };
  if (!tofu.available) {
    return [
      {
        ...common,
        metric: "tofu init",
        unit: "ms",
        larder: undefined,
        baseline: undefined,
        target: "",
        met: undefined,
        note: `skipped: ${tofu.reason}`,
      },
    ];
  }
  const root = join(context.workDir, "tofu");
  const upstreamRoot = join(root, "upstream");
  const dataDir = join(root, "data");
  const registry = await startBenchRegistry(upstreamRoot, providers, modules);
  const servers: ServerChild[] = [];
  try {
    await stockThroughEngine(dataDir, registry.url, providers, modules);
    const fsMirror = join(root, "fs-mirror");
    for (const release of registry.releases) {
      const { namespace, type } = release.provider;
      const dir = join(fsMirror, BENCH_HOST, namespace, type);
      await mkdir(dir, { recursive: true });
      for (const archive of release.archives.values())
        await copyFile(archive.path, join(dir, archive.filename));
    }
    // sirv labels every *.gz file Content-Encoding: gzip, so go-getter would get the tar already unzipped: the
    // baseline serves the same bytes under the .tgz name, which go-getter also unpacks.
    for (const m of modules)
      await link(join(upstreamRoot, moduleArchivePath(m)), join(upstreamRoot, baselineModulePath(m)));
    const larder = await startLarder(dataDir);
    servers.push(larder);
    const sirv = await startStaticServer(upstreamRoot);
    servers.push(sirv);
    const rc = await runLarder([
      "terraformrc",
      "--tool",
      "tofu",
      "--port",
      new URL(larder.url).port,
      "--data-dir",
      dataDir,
    ]);
    if (rc.code !== 0) throw new Error(`bench: larder terraformrc failed: ${rc.stderr}`);
    const larderRc = join(root, "larder.tfrc");
    await writeFile(larderRc, rc.stdout);
    const fsRc = join(root, "fs-mirror.tfrc");
    await writeFile(
      fsRc,
      `provider_installation {\n  filesystem_mirror {\n    path = "${fsMirror}"\n  }\n}\n`,
    );
    const viaLarder = mainTf((m) => `${BENCH_HOST}/${m.namespace}/${m.name}/${m.system}`, true);
    const viaFiles = mainTf((m) => `${sirv.url}/${baselineModulePath(m)}`, false);
    const larderMs: number[] = [];
    const fsMs: number[] = [];
    for (let run = 0; run < context.scale.tofuRuns; run += 1) {
      context.log(`${SECTION}: run ${run + 1} of ${context.scale.tofuRuns}`);
      larderMs.push(await timeInit(join(root, "project-larder"), viaLarder, larderRc));
      fsMs.push(await timeInit(join(root, "project-fs"), viaFiles, fsRc));
    }
    return [
      {
        ...common,
        metric: `tofu init, ${PROVIDERS} providers + ${MODULES} modules`,
        unit: "ms",
        larder: median(larderMs),
        baseline: median(fsMs),
        target: "",
        met: undefined,
        note: `median of ${context.scale.tofuRuns}; baseline modules: same archives by URL from sirv`,
      },
    ];
  } finally {
    for (const server of servers) await server.stop();
    await registry.stop();
  }
}
