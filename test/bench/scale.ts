/** How big a run is: the sizes for the full run, smaller ones for a quick look (a couple of minutes). */
export interface BenchScale {
  readonly name: "full" | "quick";
  /** Seconds of load per metadata measurement (three rounds per server). */
  readonly loadSeconds: number;
  /** Sizes of the archives served and ingested, in MB (10^6 bytes). */
  readonly archiveMb: readonly number[];
  /** Providers mirrored (× 3 platforms each) in the mirroring section. */
  readonly providers: number;
  /** Total MB in the mirror that is bundled, split into archives of `bundleArchiveMb`. */
  readonly bundleMb: number;
  readonly bundleArchiveMb: number;
  /** Timed `tofu init` runs per side (the median is reported). */
  readonly tofuRuns: number;
}

const FULL: BenchScale = {
  name: "full",
  // 2 s at 64 connections is tens of thousands of requests per figure, and three rounds per server keep the full
  // serving run (6 documents, 2 connection counts, 2-3 servers) to a few minutes.
  loadSeconds: 2,
  archiveMb: [100, 500],
  providers: 10,
  bundleMb: 2000,
  bundleArchiveMb: 500,
  tofuRuns: 3,
};

const QUICK: BenchScale = {
  name: "quick",
  loadSeconds: 1,
  archiveMb: [10, 50],
  providers: 5,
  bundleMb: 200,
  bundleArchiveMb: 50,
  tofuRuns: 1,
};

/** The scale for `--quick` or `LARDER_BENCH_SCALE=small|quick`, else the full one; `providers` overrides N. */
export function pickScale(quick: boolean, providers: number | undefined): BenchScale {
  const envQuick = ["small", "quick"].includes(process.env.LARDER_BENCH_SCALE ?? "");
  const base = quick || envQuick ? QUICK : FULL;
  return providers === undefined ? base : { ...base, providers };
}
