import { describe, expect, it } from "vitest";
import { CounterTally } from "../../../main/server/counter-tally.js";

describe("CounterTally", () => {
  it("counts by label pair and hands each count over once", () => {
    const tally = new CounterTally<string, number>();
    tally.add("providers.v1", 200);
    tally.add("providers.v1", 200);
    tally.add("providers.v1", 304);
    tally.add("files", 206);
    const drained: [string, number, number][] = [];
    tally.drain((area, status, count) => drained.push([area, status, count]));
    expect(drained).toEqual([
      ["providers.v1", 200, 2],
      ["providers.v1", 304, 1],
      ["files", 206, 1],
    ]);
    const again: unknown[] = [];
    tally.drain((...entry) => again.push(entry));
    expect(again).toEqual([]);
  });
});
