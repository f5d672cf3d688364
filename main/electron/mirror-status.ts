import { AdminClient } from "../../shared/api-client.js";
import type { JobSummary } from "../../shared/api/index.js";

const active = (job: JobSummary): boolean => job.state.status === "queued" || job.state.status === "running";

/**
 * What the tray knows about the server the window uses, own or attached: the jobs in flight, asked over the admin
 * API with the data dir's token (so it works the same when the jobs run in a separate `larder serve`).
 */
export class MirrorStatus {
  private readonly client: AdminClient;
  private jobs: readonly JobSummary[] | null = null;

  constructor(httpUrl: string, token: string, fetchImpl?: typeof fetch) {
    this.client = new AdminClient({ baseUrl: httpUrl, token, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  }

  /** Asks the server again; null jobs when it does not answer (the tray says so instead of a stale count). */
  async refresh(): Promise<void> {
    this.jobs = await this.client.jobs().then(
      (list) => list.jobs,
      () => null,
    );
  }

  /** Jobs queued or running; null when the last refresh failed. */
  activeJobs(): number | null {
    return this.jobs === null ? null : this.jobs.filter(active).length;
  }

  /** What job `id` mirrors (`hashicorp/aws 6.0.0`), from the last refresh. */
  describe(id: number): string | undefined {
    return this.jobs?.find((job) => job.id === id)?.what;
  }

  /** Pauses every queued or running job; the number paused. A job that finished meanwhile is skipped. */
  async pauseAll(): Promise<number> {
    await this.refresh();
    const targets = (this.jobs ?? []).filter(active);
    const results = await Promise.allSettled(targets.map((job) => this.client.controlJob(job.id, "pause")));
    await this.refresh();
    return results.filter((result) => result.status === "fulfilled").length;
  }
}
