// `npm run bench [-- --quick] [-- --only metadata archives …]`: Larder's figures side by side with a baseline,
// printed as one table per section and written as JSON. Not part of `npm test`: figures depend on the machine.
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { makeTempDir } from "../helpers/temp-dir.js";
import type { BenchContext } from "./context.js";
import { stopLargeStock } from "./large-stock.js";
import { pickScale } from "./scale.js";
import { SECTIONS, type SectionName } from "./sections/index.js";
import { formatTable, ratioOf, type BenchRow } from "./table.js";

/** Names `--only` also takes, for several sections at once. */
const GROUPS: Readonly<Record<string, readonly SectionName[]>> = { serving: ["metadata", "archives"] };

interface RunOptions {
  readonly only?: string[];
  readonly quick?: boolean;
  readonly providers?: string;
  readonly json: string;
  readonly build: boolean;
  readonly keep?: boolean;
}

const program = new Command("bench")
  .description("Benchmarks of Larder against a baseline measured in the same run")
  .addOption(
    new Option("--only <section...>", "sections to run (serving = metadata and archives)").choices([
      ...Object.keys(SECTIONS),
      ...Object.keys(GROUPS),
    ]),
  )
  .option("--quick", "small sizes (also LARDER_BENCH_SCALE=small): a couple of minutes")
  .option("--providers <n>", "providers mirrored (× 3 platforms) in the mirroring section")
  .option("--json <file>", "where to write the machine-readable results", "bench-results.json")
  .option("--no-build", "skip `npm run build` (dist/ is what `larder` runs)")
  .option("--keep", "keep the temp work directory");

async function main(options: RunOptions): Promise<void> {
  const providers = options.providers === undefined ? undefined : Number(options.providers);
  if (providers !== undefined && (!Number.isInteger(providers) || providers < 1))
    throw new Error(`--providers must be a whole number ≥ 1, not ${String(options.providers)}`);
  const scale = pickScale(options.quick ?? false, providers);
  // The CLI children run dist/: build it so the figures are those of the sources in this tree.
  if (options.build) execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  const work = await makeTempDir("bench");
  const context: BenchContext = {
    workDir: work.path,
    scale,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const all = Object.keys(SECTIONS) as SectionName[];
  const wanted = new Set<string>(
    options.only?.flatMap((name): readonly string[] => GROUPS[name] ?? [name]) ?? all,
  );
  const selected = all.filter((name) => wanted.has(name));
  const results: BenchRow[] = [];
  try {
    for (const name of selected) {
      const section = SECTIONS[name];
      context.log(`section ${name} (${scale.name} scale)`);
      let rows: BenchRow[];
      try {
        rows = await section.run(context);
      } catch (error) {
        // One broken section must not hide the others' figures.
        const reason = error instanceof Error ? error.message : String(error);
        context.log(`section ${name} failed: ${reason}`);
        rows = [
          {
            section: section.title,
            metric: "(section failed)",
            unit: "",
            larder: undefined,
            baseline: undefined,
            baselineName: "",
            target: "",
            met: false,
            note: reason.split("\n")[0] ?? "",
          },
        ];
      }
      results.push(...rows);
      process.stdout.write(`\n## ${section.title}\n${section.baseline}\n\n${formatTable(rows)}\n`);
    }
  } finally {
    await stopLargeStock();
    if (options.keep) context.log(`work directory kept: ${work.path}`);
    else await work.remove();
  }
  const jsonPath = resolve(options.json);
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "",
    memoryGb: totalmem() / 1024 ** 3,
    node: process.version,
  };
  const rows = results.map((row) => ({ ...row, ratio: ratioOf(row) }));
  await writeFile(
    jsonPath,
    `${JSON.stringify({ date: new Date().toISOString(), scale, machine, rows }, null, 2)}\n`,
  );
  process.stdout.write(`\nResults written to ${jsonPath}\n`);
}

await main(program.parse().opts<RunOptions>());
