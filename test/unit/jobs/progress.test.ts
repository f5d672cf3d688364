import { describe, expect, it } from "vitest";
import { EventBus } from "../../../main/jobs/event-bus.js";
import { ProgressMeter } from "../../../main/jobs/progress-meter.js";
import { throttleProgress } from "../../../main/jobs/progress-throttle.js";

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000_000;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
  };
}

describe("ProgressMeter", () => {
  it("measures the rate over its window and derives the time left", () => {
    const clock = manualClock();
    const meter = new ProgressMeter(5000, clock.now);
    expect(meter.update(0, 1000)).toEqual({ bytesPerSecond: 0, etaSeconds: undefined });
    clock.advance(1000);
    expect(meter.update(100, 1000)).toEqual({ bytesPerSecond: 100, etaSeconds: 9 });
    clock.advance(1000);
    expect(meter.update(300, 1000)).toEqual({ bytesPerSecond: 150, etaSeconds: 700 / 150 });
  });

  it("forgets samples older than the window, so a stall shows as a falling rate", () => {
    const clock = manualClock();
    const meter = new ProgressMeter(2000, clock.now);
    meter.update(0, undefined);
    clock.advance(1000);
    meter.update(1000, undefined);
    clock.advance(3000);
    meter.update(1000, undefined);
    clock.advance(1000);
    // Only the last ~2 s remain: no bytes moved in them.
    expect(meter.update(1000, undefined).bytesPerSecond).toBe(0);
  });

  it("does not count a resumed prefix as transfer speed", () => {
    const clock = manualClock();
    const meter = new ProgressMeter(5000, clock.now);
    meter.update(900, 1000);
    clock.advance(1000);
    expect(meter.update(950, 1000)).toEqual({ bytesPerSecond: 50, etaSeconds: 1 });
  });
});

describe("throttleProgress", () => {
  it("passes at most one progress event per interval and every state change at once", () => {
    const clock = manualClock();
    const seen: string[] = [];
    const deliver = throttleProgress<{ kind: string; n: number }>(
      (event) => seen.push(`${event.kind}${event.n}`),
      200,
      clock.now,
    );
    deliver({ kind: "progress", n: 1 });
    deliver({ kind: "progress", n: 2 });
    deliver({ kind: "item", n: 3 });
    clock.advance(199);
    deliver({ kind: "progress", n: 4 });
    clock.advance(1);
    deliver({ kind: "progress", n: 5 });
    deliver({ kind: "item", n: 6 });
    expect(seen).toEqual(["progress1", "item3", "progress5", "item6"]);
  });
});

describe("EventBus", () => {
  it("delivers to every subscriber until it unsubscribes, even when another listener throws", () => {
    const bus = new EventBus<number>();
    const a: number[] = [];
    const b: number[] = [];
    bus.subscribe(() => {
      throw new Error("listener bug");
    });
    const stopA = bus.subscribe((n) => a.push(n));
    bus.subscribe((n) => b.push(n));
    bus.publish(1);
    stopA();
    bus.publish(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });
});
