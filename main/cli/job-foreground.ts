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

/**
 * Prints a new job's header, then what planning already refused (a platform upstream does not offer), once each:
 * the run never starts those items, so no later event repeats them.
 */
export function printJobHeader(larder: Larder, jobId: number): void {
  const { job, items } = larder.jobs.show(jobId);
  process.stderr.write(`Job ${jobId}: ${job.what}\n`);
  const packages = items.filter((item) => item.kind === "provider-package").length;
  if (packages > 0) process.stderr.write(`Planned ${packages} package(s).\n`);
  for (const item of items)
    if (item.state.status === "failed") process.stderr.write(`FAILED          ${item.state.reason}\n`);
}
