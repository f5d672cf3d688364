import autocannon from "autocannon";
import { socketDownload } from "./socket-download.js";
import { megabytesPerSecond } from "./stats.js";

/** What one load run measured. */
export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Non-2xx answers plus connection errors: any makes the figures meaningless. */
  readonly failures: number;
}

/** Keeps `url` busy with `connections` keep-alive connections for `seconds` (autocannon) and reports the figures. */
export async function loadTest(url: string, connections: number, seconds: number): Promise<LoadFigures> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}

/** Downloads `url` `parallel` times at once and returns the aggregate rate in MB/s. */
export async function downloadRate(url: string, parallel: number): Promise<number> {
  const start = performance.now();
  const sizes = await Promise.all(Array.from({ length: parallel }, () => socketDownload(url)));
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  return megabytesPerSecond(bytes, performance.now() - start);
}
