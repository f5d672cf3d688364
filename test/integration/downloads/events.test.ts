import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import type { LarderEvent } from "../../../main/engine/larder-events.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { archivePath, mirrorOne, openLarder, packageOf } from "./download-support.js";

describe("engine events during a mirror", () => {
  let fixture: FixtureUpstream;
  let temp: TempDir;
  let larder: Larder;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
  });
  afterAll(async () => {
    await fixture.stop();
  });
  beforeEach(async () => {
    temp = await makeTempDir("downloads-events");
    larder = await openLarder(fixture, temp.path);
  });
  afterEach(async () => {
    larder.close();
    await temp.remove();
  });

  it("publishes throttled progress with rate and ETA, every state change, and an inventory change", async () => {
    const pkg = packageOf(fixture);
    fixture.slowDown(archivePath(pkg), 150);
    const events: { at: number; event: LarderEvent }[] = [];
    const unsubscribe = larder.events.subscribe((event) => events.push({ at: Date.now(), event }));
    const started = Date.now();
    try {
      const report = await mirrorOne(larder, pkg);
      expect(report.stored).toHaveLength(1);
    } finally {
      unsubscribe();
      fixture.slowDown(archivePath(pkg), 0);
    }
    const seconds = (Date.now() - started) / 1000;
    const progress = events.flatMap(({ event }) => (event.kind === "progress" ? [event] : []));
    expect(seconds).toBeGreaterThan(1.5);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    // At most ~5 per second for the run.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 5) + 1);
    expect(progress.some((event) => event.bytesPerSecond > 0 && event.etaSeconds !== undefined)).toBe(true);
    expect(progress.every((event) => event.bytesTotal === pkg.zip.length)).toBe(true);

    const items = events.flatMap(({ event }) => (event.kind === "item" ? [event] : []));
    expect(items.map((event) => event.state)).toEqual(["started", "stored"]);
    // Published once each, with the job and item they belong to.
    const [item] = larder.jobs.show(items[0]?.job ?? 0).items;
    expect(items.every((event) => event.itemId === item?.id)).toBe(true);
    const kinds = events.map(({ event }) => event.kind);
    expect(kinds.filter((kind) => kind === "inventory-changed")).toHaveLength(1);
    expect(kinds.indexOf("inventory-changed")).toBeGreaterThan(
      events.findIndex(({ event }) => event.kind === "item" && event.state === "stored"),
    );
  });

  it("reports a refused package as a failed item with its reason, and no inventory change", async () => {
    const events: LarderEvent[] = [];
    const unsubscribe = larder.events.subscribe((event) => events.push(event));
    try {
      await mirrorOne(larder, packageOf(fixture, "hostile", "tampered-archive"));
    } finally {
      unsubscribe();
    }
    const failed = events.find((event) => event.kind === "item" && event.state === "failed");
    expect(failed).toMatchObject({
      kind: "item",
      state: "failed",
      message: expect.stringMatching(/tampered with/) as unknown,
    });
    expect(events.some((event) => event.kind === "inventory-changed")).toBe(false);
  });
});
