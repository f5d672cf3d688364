import { join } from "node:path";
import type { CatalogQuery } from "../../../main/core/catalog-query.js";
import { CatalogRepository } from "../../../main/db/catalog-repository.js";
import { openDatabase } from "../../../main/db/connection.js";
import type { BenchContext } from "../context.js";
import { syntheticCatalog } from "../fixtures/synthetic-catalog.js";
import { percentile } from "../stats.js";
import type { BenchRow } from "../table.js";

const SECTION = "catalog";
const PROVIDERS = 5000;
const MODULES = 20000;
const P99_TARGET_MS = 20;
const ROUNDS = 60;

/** The kinds of text people type, each timed on its own so a slow shape is not averaged away. */
const SHAPES: Readonly<Record<string, readonly string[]>> = {
  exact: ["hashicorp/aws", "kubernetes", "terraform-aws-modules/vpc/aws", "vault", "random"],
  prefix: ["hashicorp/", "kube", "terraform-aws", "clou", "dat"],
  word: ["network", "secrets", "deploy", "monitoring", "aws"],
  "two words": ["aws vpc", "secure cluster", "manage dns", "google storage", "multi region"],
  "no match": ["zzzqqq", "nothing here", "xyzzy/plugh", '"', "NEAR("],
  empty: [""],
};

function row(metric: string, value: number | undefined, target: boolean, note?: string): BenchRow {
  return {
    section: SECTION,
    metric,
    unit: "ms",
    larder: value,
    baseline: undefined,
    baselineName: "",
    target: target ? `p99 < ${P99_TARGET_MS} ms` : "",
    met: target && value !== undefined ? value < P99_TARGET_MS : undefined,
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * p50/p99 of CatalogRepository.search (limit 50, as the Browse page asks) over a fresh cache of 5,000 providers
 * and 20,000 modules, by the shape of the text. In process: the figure is the cache's, not HTTP's.
 */
export function benchCatalogSearch(context: BenchContext): Promise<BenchRow[]> {
  const db = openDatabase(join(context.workDir, "catalog.db"));
  try {
    const catalog = new CatalogRepository(db);
    const entries = syntheticCatalog(PROVIDERS, MODULES);
    const fillStart = performance.now();
    for (let i = 0; i < entries.length; i += 1000)
      catalog.upsertEntries(entries.slice(i, i + 1000), "2026-01-01");
    const fillMs = performance.now() - fillStart;
    context.log(`catalog filled with ${entries.length} entries in ${fillMs.toFixed(0)} ms`);
    const rounds = context.scale.name === "quick" ? ROUNDS / 3 : ROUNDS;
    const all: number[] = [];
    const rows: BenchRow[] = [row(`fill ${entries.length} entries (pages of 1,000)`, fillMs, false)];
    for (const [shape, texts] of Object.entries(SHAPES)) {
      const samples: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        for (const text of texts) {
          const query: CatalogQuery = { text, limit: 50 };
          const start = performance.now();
          catalog.search(query);
          samples.push(performance.now() - start);
        }
      }
      all.push(...samples);
      rows.push(row(`${shape}: p50`, percentile(samples, 50), false));
      rows.push(row(`${shape}: p99`, percentile(samples, 99), true, `${samples.length} searches`));
    }
    rows.push(row("all searches: p50", percentile(all, 50), false));
    rows.push(row("all searches: p99", percentile(all, 99), true, `${all.length} searches`));
    return Promise.resolve(rows);
  } finally {
    db.close();
  }
}
