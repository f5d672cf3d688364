import { describe, expect, it } from "vitest";
import { JobNotifications, LONG_JOB_MS } from "../../../main/electron/job-notifications.js";
import type { ApiEvent } from "../../../shared/api/index.js";

const job = (id: number, state: Extract<ApiEvent, { type: "job" }>["state"]): ApiEvent => ({
  type: "job",
  job: id,
  state,
});

function clocked() {
  let now = 1_000_000;
  const notifications = new JobNotifications(
    (id) => (id === 7 ? "hashicorp/aws 6.0.0" : undefined),
    () => now,
  );
  return {
    notifications,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("JobNotifications", () => {
  it("says nothing about a short job: the user watched it finish", () => {
    const { notifications, advance } = clocked();
    expect(notifications.noticeFor(job(7, { status: "running" }))).toBeUndefined();
    advance(LONG_JOB_MS - 1);
    expect(notifications.noticeFor(job(7, { status: "succeeded" }))).toBeUndefined();
  });

  it("announces a long job that succeeded, naming what it mirrored", () => {
    const { notifications, advance } = clocked();
    notifications.noticeFor(job(7, { status: "queued" }));
    notifications.noticeFor(job(7, { status: "running" }));
    advance(LONG_JOB_MS);
    expect(notifications.noticeFor(job(7, { status: "succeeded" }))).toEqual({
      title: "Download finished",
      body: "hashicorp/aws 6.0.0 is stored and served.",
    });
  });

  it("gives a failed long job's reason, and the job number when what it mirrors is unknown", () => {
    const { notifications, advance } = clocked();
    notifications.noticeFor(job(8, { status: "running" }));
    advance(LONG_JOB_MS * 3);
    expect(notifications.noticeFor(job(8, { status: "failed", reason: "the disk is full" }))).toEqual({
      title: "Download failed",
      body: "job 8: the disk is full",
    });
  });

  it("counts from the first time the job ran, through pauses, and announces a cancel", () => {
    const { notifications, advance } = clocked();
    notifications.noticeFor(job(7, { status: "running" }));
    advance(LONG_JOB_MS / 2);
    notifications.noticeFor(job(7, { status: "paused" }));
    advance(LONG_JOB_MS / 2);
    expect(notifications.noticeFor(job(7, { status: "running" }))).toBeUndefined();
    expect(notifications.noticeFor(job(7, { status: "cancelled" }))).toMatchObject({
      title: "Download cancelled",
    });
  });

  it("announces each ending once, and not a job it never saw running", () => {
    const { notifications, advance } = clocked();
    notifications.noticeFor(job(7, { status: "running" }));
    advance(LONG_JOB_MS);
    expect(notifications.noticeFor(job(7, { status: "succeeded" }))).toBeDefined();
    expect(notifications.noticeFor(job(7, { status: "succeeded" }))).toBeUndefined();
    expect(notifications.noticeFor(job(9, { status: "failed", reason: "x" }))).toBeUndefined();
  });

  it("announces every bundle export that ends, however short, with its size or its error", () => {
    const { notifications } = clocked();
    const bundle = (phase: "started" | "progress" | "finished" | "failed", message: string | null = null) =>
      notifications.noticeFor({
        type: "bundle",
        operation: "export",
        phase,
        bytesDone: 3 * 1024 * 1024,
        bytesTotal: 3 * 1024 * 1024,
        message,
      });
    expect(bundle("started")).toBeUndefined();
    expect(bundle("progress")).toBeUndefined();
    expect(bundle("finished")).toEqual({
      title: "Bundle exported",
      body: "3.0 MiB written: the bundle is ready to carry.",
    });
    expect(bundle("failed", "No space left on /media/usb")).toEqual({
      title: "Bundle export failed",
      body: "No space left on /media/usb",
    });
  });

  it("ignores verify and import, progress and every other event", () => {
    const { notifications } = clocked();
    const events: ApiEvent[] = [
      { type: "bundle", operation: "verify", phase: "finished", bytesDone: 1, bytesTotal: 1, message: null },
      { type: "bundle", operation: "import", phase: "failed", bytesDone: 1, bytesTotal: 1, message: "x" },
      { type: "inventory" },
      { type: "server", state: "ready", version: "1" },
      {
        type: "progress",
        job: 7,
        item: 1,
        label: "x",
        bytesDone: 1,
        bytesTotal: 2,
        bytesPerSecond: 1,
        etaSeconds: 1,
      },
    ];
    for (const event of events) expect(notifications.noticeFor(event)).toBeUndefined();
  });
});
