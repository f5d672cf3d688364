import { LarderError } from "../core/errors.js";
import type { JobObserver } from "../engine/job-executor.js";
import type { Larder } from "../engine/larder.js";
import type { JobRunResult } from "../jobs/job-runner-types.js";

/**
 * Runs a job in this process; Ctrl-C pauses it (transfers stop at once, partial bytes stay on disk) instead of
 * killing the process mid-write.
 */
export async function runJobInForeground(
  larder: Larder,
  jobId: number,
  observer: JobObserver,
): Promise<JobRunResult> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    process.stderr.write(`\nPausing job ${jobId}; the bytes received so far are kept.\n`);
    controller.abort();
  };
  process.once("SIGINT", onInterrupt);
  try {
    return await larder.jobs.run(jobId, { observer, signal: controller.signal, onStop: "pause" });
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
}

/** Throws the one-line reason when a run ended paused or cancelled, saying how to continue. */
export function throwIfStopped(result: JobRunResult): void {
  const id = result.job.id;
  const done = result.items.filter((item) => item.state.status === "succeeded").length;
  const progress = `${done} of ${result.items.length} item(s) done`;
  switch (result.state.status) {
    case "paused":
      throw new LarderError(
        "interrupted",
        `Job ${id} is paused with ${progress}; the bytes received are kept. Resume it with: larder jobs resume ${id}`,
      );
    case "cancelled":
      throw new LarderError(
        "conflict",
        `Job ${id} was cancelled with ${progress}. Run its items again with: larder jobs retry ${id}`,
      );
    case "queued":
    case "running":
    case "failed":
    case "succeeded":
      return;
  }
}
