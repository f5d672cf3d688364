import { describe, expect, it } from "vitest";
import { median, megabytesPerSecond, percentile } from "../../bench/stats.js";
import { formatNumber, formatTable, ratioOf, type BenchRow } from "../../bench/table.js";

const row: BenchRow = {
  section: "s",
  metric: "versions @64 p99",
  unit: "ms",
  larder: 4,
  baseline: 2,
  baselineName: "sirv",
  target: "< 5 ms",
  met: true,
};

describe("bench statistics", () => {
  it("takes percentiles by nearest rank, whatever the order of the samples", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([], 50)).toBeUndefined();
  });

  it("turns bytes and milliseconds into MB/s", () => {
    expect(megabytesPerSecond(500e6, 2000)).toBe(250);
    expect(megabytesPerSecond(1, 0)).toBe(0);
  });
});

describe("bench table", () => {
  it("gives the ratio of Larder to the baseline, and none without a baseline", () => {
    expect(ratioOf(row)).toBe(2);
    expect(ratioOf({ larder: 1, baseline: undefined })).toBeUndefined();
    expect(ratioOf({ larder: 1, baseline: 0 })).toBeUndefined();
  });

  it("prints figures with a precision that suits their size", () => {
    expect(formatNumber(12345.6)).toBe("12,346");
    expect(formatNumber(123.4)).toBe("123");
    expect(formatNumber(12.34)).toBe("12.3");
    expect(formatNumber(1.234)).toBe("1.23");
    expect(formatNumber(undefined)).toBe("-");
  });

  it("aligns columns and marks a missed target so it stands out", () => {
    const missed: BenchRow = { ...row, metric: "index.json @64 p99", larder: 9, met: false };
    const lines = formatTable([row, missed]).split("\n");
    expect(lines[0]).toMatch(/^metric\s+unit\s+Larder\s+baseline\s+ratio\s+target\s+met/);
    expect(lines[2]).toContain("2.00x");
    expect(lines[2]).toContain("yes");
    expect(lines[3]).toContain("NO");
    expect(lines[3]?.indexOf("ms")).toBe(lines[2]?.indexOf("ms"));
  });
});
