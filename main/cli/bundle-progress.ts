import { Presets, SingleBar } from "cli-progress";
import { ProgressMeter } from "../jobs/progress-meter.js";
import { formatBytes } from "./mirror-progress.js";

/** Byte progress of one bundle write: a bar on a terminal, nothing in between otherwise (the result line says it). */
export interface BundleProgress {
  start(total: number): void;
  update(done: number): void;
  finish(): void;
}

/** A bar with rate and time left on a TTY; silent otherwise, so scripts and logs get only the summary lines. */
export function createBundleProgress(stream: NodeJS.WriteStream): BundleProgress {
  if (!stream.isTTY) return { start: () => undefined, update: () => undefined, finish: () => undefined };
  const bar = new SingleBar(
    {
      stream,
      hideCursor: true,
      clearOnComplete: true,
      format: " {bar} {percentage}% | {done}/{size} | {rate} | ETA {eta}",
    },
    Presets.shades_classic,
  );
  const meter = new ProgressMeter();
  let total = 0;
  let running = false;
  return {
    start(size) {
      total = size;
      running = true;
      bar.start(Math.max(size, 1), 0, { done: "0 B", size: formatBytes(size), rate: "-", eta: "-" });
    },
    update(done) {
      if (!running) return;
      const figures = meter.update(done, total);
      bar.update(done, {
        done: formatBytes(done),
        rate: figures.bytesPerSecond > 0 ? `${formatBytes(Math.round(figures.bytesPerSecond))}/s` : "-",
        eta: figures.etaSeconds === undefined ? "-" : `${Math.ceil(figures.etaSeconds)}s`,
      });
    },
    finish() {
      if (!running) return;
      running = false;
      bar.stop();
    },
  };
}
