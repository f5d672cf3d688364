import { readFileSync } from "node:fs";

/** Resident-set figures of a process in MB (10^6 bytes), read from /proc/PID/status. */
export interface RssReading {
  /** VmRSS: resident now. */
  readonly rssMb: number;
  /** VmHWM: the high-water mark of VmRSS since the process started. */
  readonly peakMb: number;
}

function fieldKb(status: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Reads VmRSS and VmHWM of a live process; undefined once it has exited (or off Linux). */
export function readRss(pid: number): RssReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const rss = fieldKb(status, "VmRSS");
  const hwm = fieldKb(status, "VmHWM");
  if (rss === undefined || hwm === undefined) return undefined;
  return { rssMb: (rss * 1024) / 1e6, peakMb: (hwm * 1024) / 1e6 };
}

/** Polls a process's memory; `stop()` returns the highest VmHWM seen (the kernel's own peak, not a sample). */
export interface RssSampler {
  /** The peak so far in MB, undefined when the process was never readable. */
  peakMb(): number | undefined;
  stop(): number | undefined;
}

/**
 * Samples a child's VmHWM every `intervalMs`. VmHWM is kept by the kernel, so the peak is exact even between
 * samples; polling is only needed because the figure disappears with the process, so a short-lived CLI child must
 * be read until just before it exits.
 */
export function sampleRss(pid: number, intervalMs = 20): RssSampler {
  let peak: number | undefined;
  const read = (): void => {
    const reading = readRss(pid);
    if (reading) peak = Math.max(peak ?? 0, reading.peakMb);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    peakMb: () => peak,
    stop: () => {
      read();
      clearInterval(timer);
      return peak;
    },
  };
}
