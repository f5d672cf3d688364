import { describe, expect, it } from "vitest";
import {
  canTransition,
  deriveJobState,
  ITEM_STATUSES,
  type ItemState,
} from "../../../main/core/job-state.js";

const queued: ItemState = { status: "queued", interrupted: false };

describe("job item transitions", () => {
  it("allows the moves a worker and a person make, and nothing out of succeeded", () => {
    expect(canTransition("queued", "running")).toBe(true);
    expect(canTransition("running", "paused")).toBe(true);
    expect(canTransition("paused", "queued")).toBe(true);
    expect(canTransition("failed", "queued")).toBe(true);
    expect(canTransition("cancelled", "queued")).toBe(true);
    for (const to of ITEM_STATUSES) expect(canTransition("succeeded", to)).toBe(false);
  });

  it("refuses finishing an item that never ran, and pausing a failed one", () => {
    expect(canTransition("queued", "succeeded")).toBe(false);
    expect(canTransition("queued", "failed")).toBe(false);
    expect(canTransition("failed", "paused")).toBe(false);
    expect(canTransition("paused", "running")).toBe(false);
  });
});

describe("a job's state from its items", () => {
  it("is running while any item runs, then queued, then paused", () => {
    expect(deriveJobState([queued, { status: "running" }, { status: "paused" }]).status).toBe("running");
    expect(deriveJobState([queued, { status: "paused" }]).status).toBe("queued");
    expect(deriveJobState([{ status: "succeeded" }, { status: "paused" }]).status).toBe("paused");
  });

  it("is failed naming the first reason and the count, else cancelled, else succeeded", () => {
    expect(
      deriveJobState([
        { status: "failed", reason: "a" },
        { status: "cancelled" },
        { status: "failed", reason: "b" },
      ]),
    ).toEqual({ status: "failed", reason: "2 items failed; the first: a" });
    expect(deriveJobState([{ status: "succeeded" }, { status: "cancelled" }]).status).toBe("cancelled");
    expect(deriveJobState([{ status: "succeeded" }]).status).toBe("succeeded");
    expect(deriveJobState([]).status).toBe("succeeded");
  });
});
