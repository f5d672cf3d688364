import { createHash } from "node:crypto";
import { join } from "node:path";
import { Larder } from "../../../main/engine/larder.js";
import type { BenchContext } from "../context.js";
import type { PublishedRelease, SyntheticProvider } from "../fixtures/bench-catalog.js";
import { startBenchRegistry, type BenchRegistry } from "../fixtures/bench-registry.js";
import { largeStock } from "../large-stock.js";
import { timed } from "../stats.js";
import { BENCH_HOST, mirrorWithCli } from "../stock.js";
import type { BenchRow } from "../table.js";

const SECTION = "mirroring";
const PLATFORMS = ["linux_amd64", "darwin_arm64", "windows_amd64"];
const RERUN_TARGET_MS = 1000;
const RSS_TARGET_MB = 250;

/** Mirrors every provider through the engine API, one provider after another as a script of CLI calls would. */
async function mirrorAll(
  dataDir: string,
  registryUrl: string,
  providers: readonly SyntheticProvider[],
): Promise<void> {
  const larder = await Larder.open({ dataDir, upstreams: new Map([[BENCH_HOST, registryUrl]]) });
  try {
    for (const provider of providers) {
      const report = await larder.mirrorProviders({
        address: `${BENCH_HOST}/${provider.namespace}/${provider.type}`,
        versions: [provider.version],
        platforms: provider.platforms,
      });
      if (report.failed.length > 0)
        throw new Error(`bench: mirror failed: ${report.failed[0]?.message ?? ""}`);
    }
  } finally {
    larder.close();
  }
}

async function getOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`bench: GET ${url}: ${response.status}`);
  return response;
}

/** The baseline: the same requests with plain sequential `fetch`, hashing each archive with sha256, no checks. */
async function fetchAll(registry: BenchRegistry, releases: readonly PublishedRelease[]): Promise<void> {
  for (const { provider } of releases) {
    const base = `${registry.url}/v1/providers/${provider.namespace}/${provider.type}/${provider.version}`;
    let sumsFetched = false;
    for (const platform of provider.platforms) {
      const [os = "", arch = ""] = platform.split("_");
      const download = (await (await getOk(`${base}/download/${os}/${arch}`)).json()) as Record<
        string,
        string
      >;
      if (!sumsFetched) {
        await (await getOk(download.shasums_url ?? "")).arrayBuffer();
        await (await getOk(download.shasums_signature_url ?? "")).arrayBuffer();
        sumsFetched = true;
      }
      const hash = createHash("sha256");
      const reader = (await getOk(download.download_url ?? "")).body?.getReader();
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read())
        hash.update(chunk.value);
      hash.digest("hex");
    }
  }
}

/**
 * Wall time to mirror N providers × 3 platforms cold and again (the re-run must transfer nothing), against
 * fetching the same files with sequential `fetch` + sha256; then the peak RSS of `larder mirror` ingesting the
 * large archives of the scale (streaming: it must not grow with the archive's size).
 */
export async function benchMirroring(context: BenchContext): Promise<BenchRow[]> {
  const root = join(context.workDir, "mirroring");
  const count = context.scale.providers;
  const providers: SyntheticProvider[] = Array.from({ length: count }, (_, index) => ({
    namespace: "bench",
    type: `p${index + 1}`,
    version: "1.0.0",
    platforms: PLATFORMS,
  }));
  const registry = await startBenchRegistry(join(root, "upstream"), providers);
  const rows: BenchRow[] = [];
  const common = { section: SECTION, baselineName: "fetch+sha256" };
  try {
    context.log(`${SECTION}: ${count} providers × ${PLATFORMS.length} platforms, cold`);
    const baseline = await timed(() => fetchAll(registry, registry.releases));
    registry.resetCounters();
    const cold = await timed(() => mirrorAll(join(root, "data"), registry.url, providers));
    const coldBytes = registry.bytesServed();
    registry.resetCounters();
    context.log(`${SECTION}: re-run`);
    const rerun = await timed(() => mirrorAll(join(root, "data"), registry.url, providers));
    const rerunBytes = registry.bytesServed();
    const rerunRequests = registry.requestCount();
    registry.resetCounters();
    const [first] = providers;
    if (!first) throw new Error("bench: no providers to mirror");
    const cliRerun = await mirrorWithCli(join(root, "data"), registry.url, first);
    rows.push(
      {
        ...common,
        metric: `cold mirror, ${count} providers × ${PLATFORMS.length} platforms`,
        unit: "ms",
        larder: cold.ms,
        baseline: baseline.ms,
        target: "",
        met: undefined,
        note: `${(coldBytes / 1e6).toFixed(2)} MB from upstream; Larder also verifies signatures and h1`,
      },
      {
        ...common,
        metric: "re-run of the completed mirror",
        unit: "ms",
        larder: rerun.ms,
        baseline: undefined,
        target: `< ${RERUN_TARGET_MS} ms, 0 bytes`,
        met: rerun.ms < RERUN_TARGET_MS && rerunBytes === 0,
        note: `${rerunBytes} bytes, ${rerunRequests} requests to upstream (engine API, in process)`,
      },
      {
        ...common,
        metric: "re-run of one provider with the CLI",
        unit: "ms",
        larder: cliRerun.ms,
        baseline: undefined,
        target: "",
        met: undefined,
        note: `${registry.bytesServed()} bytes to upstream; includes Node start-up of \`larder\``,
      },
    );
  } finally {
    await registry.stop();
  }
  const stock = await largeStock(context);
  for (const [index, archive] of stock.archives.entries()) {
    const release = stock.registry.releases[index];
    // The same archive fetched and hashed by plain fetch, for the wall time of ingesting it.
    const fetched = release ? await timed(() => fetchAll(stock.registry, [release])) : undefined;
    rows.push(
      {
        ...common,
        metric: `mirror one ${archive.mb} MB archive (larder mirror CLI)`,
        unit: "ms",
        larder: archive.ingest.ms,
        baseline: fetched?.ms,
        target: "",
        met: undefined,
        note: "Larder: download, sha256, signature, h1 of the zip's entries, fsync, plus Node start-up",
      },
      {
        ...common,
        metric: `peak RSS of larder mirror, one ${archive.mb} MB archive`,
        unit: "MB",
        larder: archive.ingest.peakRssMb,
        baseline: undefined,
        target: `< ${RSS_TARGET_MB} MB`,
        met: archive.ingest.peakRssMb !== undefined && archive.ingest.peakRssMb < RSS_TARGET_MB,
        note: "VmHWM of the larder mirror process",
      },
    );
  }
  return rows;
}
