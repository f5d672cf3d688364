import type { BenchContext } from "../context.js";
import type { BenchRow } from "../table.js";
import { benchBundles } from "./bundles.js";
import { benchCatalogSearch } from "./catalog-search.js";
import { benchTofuInit } from "./tofu-init.js";
import { benchUiRender } from "./ui-render.js";
import { benchMirroring } from "./mirroring.js";
import { benchProjects } from "./projects.js";
import { benchServingArchives } from "./serving-archives.js";
import { benchServingMetadata } from "./serving-metadata.js";
import { benchUiInventory } from "./ui-inventory.js";

/** One section of the run: its table title, what its baseline is, and how to measure it. */
export interface BenchSection {
  readonly title: string;
  /** One sentence printed under the title saying exactly what Larder is compared with. */
  readonly baseline: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}

/** Every section in the order they run; `--only` takes these names. */
export const SECTIONS = {
  metadata: {
    title: "Serving metadata",
    baseline:
      "Baselines: nginx (one worker) and, at 64 connections, sirv (static file server, own process), serving the same JSON bytes Larder returned, from disk. Load: autocannon, keep-alive, on loopback.",
    run: benchServingMetadata,
  },
  archives: {
    title: "Serving archives",
    baseline:
      "Baseline: sirv (own process) serving the same blob file, hard-linked at the same URL path. Client: a bare socket reading into one reused 1 MiB buffer and discarding the body (the same for every server).",
    run: benchServingArchives,
  },
  mirroring: {
    title: "Mirroring",
    baseline:
      "Baseline: the same download JSON, SHA256SUMS, signature and archives fetched with plain sequential fetch + sha256 (no verification, nothing stored).",
    run: benchMirroring,
  },
  tofu: {
    title: "tofu init",
    baseline:
      "Baseline: the same provider zips in a filesystem_mirror directory (packed layout); terraform has no module mirror, so the baseline's modules are the same .tar.gz archives fetched by URL from sirv. Larder: host mode from `larder terraformrc`.",
    run: benchTofuInit,
  },
  projects: {
    title: "Projects",
    baseline:
      "Baseline: `tofu providers mirror` (OpenTofu 1.6.2) of the same project from the same registry, cold and again into the same directory; medians of 3 alternating rounds. `larder check` and start-up have no baseline (targets only).",
    run: benchProjects,
  },
  bundles: {
    title: "Bundles",
    baseline:
      "Baseline: tar -cf / tar -xf of the same blob files (no manifest, no verification), plain and followed by an fsync of what tar wrote; medians of 3 alternating rounds. Needs `larder bundle`.",
    run: benchBundles,
  },
  catalog: {
    title: "Catalog search",
    baseline:
      "No baseline: CatalogRepository.search in process over 5,000 providers and 20,000 modules (synthetic, popularity skewed), limit 50.",
    run: benchCatalogSearch,
  },
  ui: {
    title: "UI",
    baseline:
      "No baseline: Debian's Chromium (playwright-core) navigating to a page of a warm `larder serve` until its heading is painted.",
    run: benchUiRender,
  },
  "ui-scroll": {
    title: "UI: Mirror with 10,000 rows",
    baseline:
      "No baseline: the built UI in Debian's Chromium against larder serve, the inventory answers replaced by 10,201 synthetic rows; scrolling top to bottom in 240 frames.",
    run: benchUiInventory,
  },
} satisfies Record<string, BenchSection>;

/** A section name accepted by `--only`. */
export type SectionName = keyof typeof SECTIONS;
