import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BenchContext } from "./context.js";
import type { SyntheticProvider } from "./fixtures/bench-catalog.js";
import { startBenchRegistry, type BenchRegistry } from "./fixtures/bench-registry.js";
import { mirrorWithCli, type CliMirrorRun } from "./stock.js";

/** One large archive stored in the shared data dir, with how its ingest went. */
export interface LargeArchive {
  readonly mb: number;
  readonly provider: SyntheticProvider;
  readonly sha256: string;
  readonly size: number;
  readonly ingest: CliMirrorRun;
}

/** A data dir stocked by `larder mirror` with one provider per archive size of the scale. */
export interface LargeStock {
  readonly dataDir: string;
  readonly registry: BenchRegistry;
  readonly archives: readonly LargeArchive[];
}

let stocked: Promise<LargeStock> | undefined;

async function build(context: BenchContext): Promise<LargeStock> {
  const root = join(context.workDir, "large");
  const dataDir = join(root, "data");
  await mkdir(dataDir, { recursive: true });
  const providers: SyntheticProvider[] = context.scale.archiveMb.map((mb) => ({
    namespace: "bench",
    type: `large${mb}`,
    version: "1.0.0",
    platforms: ["linux_amd64"],
    archiveBytes: mb * 1e6,
  }));
  context.log(`large archives: generating ${context.scale.archiveMb.join(", ")} MB (cached between runs)`);
  const registry = await startBenchRegistry(join(root, "upstream"), providers);
  const archives: LargeArchive[] = [];
  for (const [index, provider] of providers.entries()) {
    const published = registry.releases[index]?.archives.get("linux_amd64");
    if (!published) throw new Error(`bench: ${provider.type} was not published`);
    context.log(`large archives: larder mirror provider ${provider.type}`);
    const ingest = await mirrorWithCli(dataDir, registry.url, provider);
    const mb = context.scale.archiveMb[index] ?? 0;
    archives.push({ mb, provider, sha256: published.sha256, size: published.size, ingest });
  }
  return { dataDir, registry, archives };
}

/**
 * The large-archive mirror shared by the archive-serving and mirroring sections (built once per run): ingesting
 * hundreds of megabytes is measured once and its result served afterwards.
 */
export function largeStock(context: BenchContext): Promise<LargeStock> {
  stocked ??= build(context);
  return stocked;
}

/** Stops the registry behind the shared stock, if one was built. */
export async function stopLargeStock(): Promise<void> {
  if (stocked) await (await stocked).registry.stop();
}
