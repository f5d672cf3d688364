import type { ApiEvent } from "../../shared/api/index.js";
import { formatBytes } from "../cli/mirror-progress.js";

/** A job that ran at least this long is worth a notification when it ends; a short one the user just watched. */
export const LONG_JOB_MS = 60_000;

export interface Notice {
  readonly title: string;
  readonly body: string;
}

/**
 * Turns the server's events into the notifications the desktop shows: a long job ending (succeeded, failed with
 * its reason, or cancelled) and every bundle export ending. Pure: the caller supplies the clock and shows the
 * notices, so the rules are tested without Electron.
 */
export class JobNotifications {
  /** When each job was first seen running, until it ends. */
  private readonly startedAt = new Map<number, number>();

  constructor(
    /** What the job mirrors (`fixture/alpha 2.0.0`), for the notice's body; undefined when unknown. */
    private readonly describeJob: (job: number) => string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The notice this event calls for, if any. */
  noticeFor(event: ApiEvent): Notice | undefined {
    if (event.type === "bundle") return bundleNotice(event);
    if (event.type !== "job") return undefined;
    const { job, state } = event;
    if (state.status === "running" || state.status === "queued") {
      if (state.status === "running" && !this.startedAt.has(job)) this.startedAt.set(job, this.now());
      return undefined;
    }
    if (state.status === "paused") return undefined;
    const started = this.startedAt.get(job);
    this.startedAt.delete(job);
    if (started === undefined || this.now() - started < LONG_JOB_MS) return undefined;
    const what = this.describeJob(job) ?? `job ${job}`;
    switch (state.status) {
      case "succeeded":
        return { title: "Download finished", body: `${what} is stored and served.` };
      case "failed":
        return { title: "Download failed", body: `${what}: ${state.reason}` };
      case "cancelled":
        return { title: "Download cancelled", body: `${what} was cancelled.` };
    }
  }
}

function bundleNotice(event: Extract<ApiEvent, { type: "bundle" }>): Notice | undefined {
  if (event.operation !== "export") return undefined;
  if (event.phase === "finished")
    return {
      title: "Bundle exported",
      body: `${formatBytes(event.bytesDone)} written: the bundle is ready to carry.`,
    };
  if (event.phase === "failed")
    return { title: "Bundle export failed", body: event.message ?? "The export stopped; nothing was kept." };
  return undefined;
}
