/** The p-th percentile (0–100) of the samples by nearest rank; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.max(rank - 1, 0)];
}

/** The median of the samples (nearest rank), the figure repeated timings are reported by. */
export function median(samples: readonly number[]): number | undefined {
  return percentile(samples, 50);
}

/** Bytes per millisecond expressed as MB/s (10^6 bytes, the unit download tools print). */
export function megabytesPerSecond(bytes: number, milliseconds: number): number {
  return milliseconds <= 0 ? 0 : bytes / 1e6 / (milliseconds / 1000);
}

/** Runs `work` and returns how long it took in milliseconds, with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}
