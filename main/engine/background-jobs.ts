import { errorMessage } from "../core/errors.js";
import type { JobService } from "./job-service.js";

/**
 * Jobs the server runs for itself: those started or resumed through the admin API and those a crash or shutdown
 * left with queued items. On stop their transfers end at once and the items go back to the queue, marked
 * interrupted, for the next start.
 */
export class BackgroundJobs {
  private readonly controller = new AbortController();
  private readonly runs = new Map<number, Promise<void>>();

  constructor(
    private readonly jobs: JobService,
    private readonly log: (line: string) => void,
  ) {}

  /** Whether this process is running the job. */
  isRunning(jobId: number): boolean {
    return this.runs.has(jobId);
  }

  /** Runs a job here in the background unless this process already does; resolves once it is running. */
  start(jobId: number): void {
    if (this.runs.has(jobId) || this.controller.signal.aborted) return;
    const run = this.jobs
      .run(jobId, { signal: this.controller.signal, onStop: "interrupt" })
      .then(
        (result) => {
          this.log(
            `Job ${jobId} ${result.state.status}${result.state.status === "failed" ? `: ${result.state.reason}` : "."}`,
          );
        },
        (error: unknown) => {
          this.log(`Job ${jobId} could not run here: ${errorMessage(error)}`);
        },
      )
      .finally(() => this.runs.delete(jobId));
    this.runs.set(jobId, run);
  }

  /** Continues every job with queued items and no live owner (after a crash or a stop mid-job). */
  resumeInterrupted(): number[] {
    const ids = this.jobs.resumableJobs();
    for (const id of ids) {
      this.log(`Resuming job ${id}, interrupted earlier.`);
      this.start(id);
    }
    return ids;
  }

  /** Stops every run, leaving unfinished items queued for the next start. */
  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.runs.values());
  }
}
