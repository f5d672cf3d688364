import { link, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BenchContext } from "../context.js";
import { largeStock, type LargeArchive } from "../large-stock.js";
import { downloadRate } from "../load.js";
import { startNginx } from "../nginx.js";
import { startLarder, startStaticServer, type ServerChild } from "../processes.js";
import { sampleRss } from "../rss.js";
import { BENCH_HOST } from "../stock.js";
import { median } from "../stats.js";
import type { BenchRow } from "../table.js";

const SECTION = "serving archives";
const PARALLEL = [1, 8] as const;
const RATIO_TARGET = 0.5;
/** Issue 15: ≥ 0.7× nginx's MB/s (one worker, sendfile) for every size and concurrency. */
const NGINX_RATIO_TARGET = 0.7;
const RSS_TARGET_MB = 250;
/** Downloads per figure; the median is reported. */
const ROUNDS = 3;

/** The root-relative URL Larder gives terraform for an archive, read from its own download JSON. */
async function archivePath(larderUrl: string, archive: LargeArchive): Promise<string> {
  const { namespace, type, version } = archive.provider;
  const response = await fetch(
    `${larderUrl}/v1/providers/${BENCH_HOST}/${namespace}/${type}/${version}/download/linux/amd64`,
  );
  if (!response.ok) throw new Error(`bench: no download JSON for ${type} (${response.status})`);
  const body = (await response.json()) as { download_url?: unknown };
  if (typeof body.download_url !== "string") throw new Error(`bench: no download_url for ${type}`);
  return body.download_url;
}

/**
 * MB/s of downloading the large archives once and 8 times at once, Larder against sirv serving the very same blob
 * file (hard-linked at the same URL path), with Larder's peak RSS over the whole section. Each figure is the median of three alternating rounds.
 */
export async function benchServingArchives(context: BenchContext): Promise<BenchRow[]> {
  const stock = await largeStock(context);
  const staticRoot = join(context.workDir, "archives-static");
  const servers: ServerChild[] = [];
  try {
    const larder = await startLarder(stock.dataDir);
    servers.push(larder);
    const paths = new Map<number, string>();
    for (const archive of stock.archives) {
      const path = await archivePath(larder.url, archive);
      paths.set(archive.mb, path);
      const target = join(staticRoot, decodeURIComponent(path));
      await mkdir(dirname(target), { recursive: true });
      await link(join(stock.dataDir, "blobs", "sha256", archive.sha256.slice(0, 2), archive.sha256), target);
    }
    const sirv = await startStaticServer(staticRoot);
    servers.push(sirv);
    const nginx = await startNginx(staticRoot, context.workDir);
    if (nginx) servers.push(nginx);
    const larderRss = sampleRss(larder.pid, 50);
    const sirvRss = sampleRss(sirv.pid, 50);
    const rows: BenchRow[] = [];
    for (const archive of stock.archives) {
      const path = paths.get(archive.mb) ?? "";
      for (const parallel of PARALLEL) {
        context.log(`${SECTION}: ${archive.mb} MB × ${parallel}`);
        const larderRates: number[] = [];
        const sirvRates: number[] = [];
        const nginxRates: number[] = [];
        // Alternate the servers so a burst of load from elsewhere on the machine hits them alike.
        for (let round = 0; round < ROUNDS; round += 1) {
          larderRates.push(await downloadRate(`${larder.url}${path}`, parallel));
          sirvRates.push(await downloadRate(`${sirv.url}${path}`, parallel));
          if (nginx) nginxRates.push(await downloadRate(`${nginx.url}${path}`, parallel));
        }
        const larderRate = median(larderRates) ?? 0;
        const sirvRate = median(sirvRates) ?? 0;
        rows.push({
          section: SECTION,
          metric: `${archive.mb} MB archive × ${parallel} download(s)`,
          unit: "MB/s",
          larder: larderRate,
          baseline: sirvRate,
          baselineName: "sirv",
          target: `≥ ${RATIO_TARGET}× baseline`,
          met: larderRate >= RATIO_TARGET * sirvRate,
        });
        const nginxRate = median(nginxRates);
        if (nginxRate !== undefined)
          rows.push({
            section: SECTION,
            metric: `${archive.mb} MB archive × ${parallel} download(s)`,
            unit: "MB/s",
            larder: larderRate,
            baseline: nginxRate,
            baselineName: "nginx",
            target: `≥ ${NGINX_RATIO_TARGET}× nginx`,
            met: larderRate >= NGINX_RATIO_TARGET * nginxRate,
          });
      }
    }
    const larderPeak = larderRss.stop();
    const sirvPeak = sirvRss.stop();
    rows.push({
      section: SECTION,
      metric: "peak RSS of the server while serving",
      unit: "MB",
      larder: larderPeak,
      baseline: sirvPeak,
      baselineName: "sirv",
      target: `< ${RSS_TARGET_MB} MB`,
      met: larderPeak !== undefined && larderPeak < RSS_TARGET_MB,
      note: "VmHWM of the serve process",
    });
    return rows;
  } finally {
    for (const server of servers) await server.stop();
  }
}
