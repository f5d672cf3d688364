import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { runLarder } from "../../helpers/larder-cli.js";
import type { BenchContext } from "../context.js";
import type { SyntheticProvider } from "../fixtures/bench-catalog.js";
import { startBenchRegistry } from "../fixtures/bench-registry.js";
import { median, megabytesPerSecond, timed } from "../stats.js";
import { mirrorWithCli } from "../stock.js";
import type { BenchRow } from "../table.js";

const SECTION = "bundles";
const EXPORT_RATIO_TARGET = 0.7;
const ROUNDS = 3;

/** The timed steps of one round. */
type Step = "exported" | "tarred" | "tarredDurably" | "imported" | "untarred" | "untarredDurably";
const run = promisify(execFile);

/** Total size of the files under a directory (the blob store), walking it recursively. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** Runs `larder ARGS…`, throwing with its one-line reason when it fails. */
async function larder(args: readonly string[]): Promise<void> {
  const result = await runLarder(args);
  if (result.code !== 0) throw new Error(`larder ${args.join(" ")} failed: ${result.stderr.trim()}`);
}

function row(
  metric: string,
  larderMbs: number | undefined,
  baselineMbs: number | undefined,
  baselineName: string,
  target: boolean,
): BenchRow {
  return {
    section: SECTION,
    metric,
    unit: "MB/s",
    larder: larderMbs,
    baseline: baselineMbs,
    baselineName,
    target: target ? `≥ ${EXPORT_RATIO_TARGET}× ${baselineName}` : "",
    met:
      target && larderMbs !== undefined && baselineMbs !== undefined
        ? larderMbs >= EXPORT_RATIO_TARGET * baselineMbs
        : undefined,
  };
}

/** Every regular file under a directory, for `sync FILE…` (fsync of each). */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Writes back whatever earlier steps left dirty (untimed), so each timed step starts from a clean page cache and
 * does not pay for the previous step's write-back.
 */
async function settle(): Promise<void> {
  await run("sync", []);
}

/**
 * MB/s of `larder bundle export FILE` and `larder bundle import FILE` (into an empty data dir) for a mirror of
 * the scale's size, against `tar -cf` / `tar -xf` of the same blob files, plain (the baseline) and followed
 * by an fsync of what tar wrote (Larder makes the bundle and the imported blobs durable). Skipped when this build has no
 * `larder bundle` command.
 */
export async function benchBundles(context: BenchContext): Promise<BenchRow[]> {
  const help = await runLarder(["bundle", "--help"]);
  // Commander answers `--help` for an unknown subcommand with the top-level help and exit 0: look for the verb.
  if (help.code !== 0 || !/\bexport\b/.test(help.stdout)) {
    return [
      {
        ...row("bundle export / import", undefined, undefined, "tar", false),
        note: "skipped: larder bundle not available in this build",
      },
    ];
  }
  const root = join(context.workDir, "bundles");
  const dataDir = join(root, "data");
  const { bundleMb, bundleArchiveMb } = context.scale;
  const count = Math.max(1, Math.round(bundleMb / bundleArchiveMb));
  // Distinct providers (the synthetic archives differ per platform and provider, so nothing is deduplicated).
  const providers: SyntheticProvider[] = Array.from({ length: count }, (_, index) => ({
    namespace: "bench",
    type: `bundle${index + 1}`,
    version: "1.0.0",
    platforms: ["linux_amd64"],
    archiveBytes: bundleArchiveMb * 1e6,
  }));
  context.log(`${SECTION}: stocking ${count} × ${bundleArchiveMb} MB`);
  const registry = await startBenchRegistry(join(root, "upstream"), providers);
  try {
    for (const provider of providers) await mirrorWithCli(dataDir, registry.url, provider);
  } finally {
    await registry.stop();
  }
  const blobs = join(dataDir, "blobs");
  const bytes = await treeBytes(blobs);
  await mkdir(join(root, "out"), { recursive: true });
  const out = join(root, "out");
  const bundle = join(out, "mirror.larder");
  const tarball = join(out, "blobs.tar");
  const durableTarball = join(out, "blobs-fsynced.tar");
  const imported = join(root, "imported");
  const untarDir = join(root, "untarred");
  const durableUntarDir = join(root, "untarred-fsynced");
  const clear = async (): Promise<void> => {
    for (const path of [bundle, tarball, durableTarball, imported, untarDir, durableUntarDir])
      await rm(path, { recursive: true, force: true });
    await mkdir(untarDir, { recursive: true });
    await mkdir(durableUntarDir, { recursive: true });
  };
  // The machine's load swings single runs by 2x: alternating rounds, figures are the medians.
  const samples: Record<Step, number[]> = {
    exported: [],
    tarred: [],
    tarredDurably: [],
    imported: [],
    untarred: [],
    untarredDurably: [],
  };
  const measure = async (into: number[], work: () => Promise<unknown>): Promise<void> => {
    await settle();
    into.push((await timed(work)).ms);
  };
  for (let round = 1; round <= ROUNDS; round++) {
    context.log(`${SECTION}: round ${round} of ${ROUNDS}: export and tar (${(bytes / 1e6).toFixed(0)} MB)`);
    await clear();
    await measure(samples.exported, () => larder(["bundle", "export", bundle, "--data-dir", dataDir]));
    await measure(samples.tarred, () => run("tar", ["-cf", tarball, "-C", dataDir, "blobs"]));
    // Larder fsyncs the bundle before renaming it into place; `sync FILE` (coreutils) is the same fsync for tar.
    await measure(samples.tarredDurably, async () => {
      await run("tar", ["-cf", durableTarball, "-C", dataDir, "blobs"]);
      await run("sync", [durableTarball]);
    });
    context.log(`${SECTION}: round ${round} of ${ROUNDS}: import and untar`);
    await measure(samples.imported, () =>
      larder(["bundle", "import", bundle, "--allow-unsigned", "--data-dir", imported]),
    );
    await measure(samples.untarred, () => run("tar", ["-xf", tarball, "-C", untarDir]));
    // Larder fsyncs every blob before it renames it into the store; the same for tar's files.
    await measure(samples.untarredDurably, async () => {
      await run("tar", ["-xf", tarball, "-C", durableUntarDir]);
      await run("sync", await filesUnder(durableUntarDir));
    });
  }
  await clear();
  const mb = Math.round(bytes / 1e6);
  const rate = (times: readonly number[]): number | undefined => {
    const ms = median(times);
    return ms === undefined ? undefined : megabytesPerSecond(bytes, ms);
  };
  return [
    {
      ...row(`export of a ${mb} MB mirror`, rate(samples.exported), rate(samples.tarred), "tar -cf", true),
      note: "rate = blob bytes / wall time; tar -cf of the blobs folder (the issue's baseline)",
    },
    {
      ...row(
        `export of a ${mb} MB mirror`,
        rate(samples.exported),
        rate(samples.tarredDurably),
        "tar -cf + fsync",
        true,
      ),
      note: "the same tar, then `sync FILE`: durable like Larder's bundle, which is fsynced before its rename",
    },
    {
      ...row(`import of a ${mb} MB mirror`, rate(samples.imported), rate(samples.untarred), "tar -xf", false),
      note: "into an empty --data-dir; tar -xf into an empty folder",
    },
    {
      ...row(
        `import of a ${mb} MB mirror`,
        rate(samples.imported),
        rate(samples.untarredDurably),
        "tar -xf + fsync",
        false,
      ),
      note: "the same tar -xf, then `sync` of every extracted file: durable like Larder's blobs",
    },
  ];
}
