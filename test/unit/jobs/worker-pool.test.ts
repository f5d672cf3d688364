import { describe, expect, it } from "vitest";
import { WorkerPool } from "../../../main/jobs/worker-pool.js";
import { errorOf } from "../../helpers/expect-larder-error.js";

/** Acquires without waiting for the slot, recording when it is granted. */
function track(pool: WorkerPool, host: string, granted: string[], signal?: AbortSignal) {
  const name = `${host}#${granted.length}`;
  return pool.acquire(host, signal).then((release) => {
    granted.push(host);
    return { name, release };
  });
}

describe("the worker pool", () => {
  it("grants at most perHost slots per host and global slots in all, in arrival order", async () => {
    const pool = new WorkerPool({ global: 3, perHost: 2 });
    const granted: string[] = [];
    const a1 = track(pool, "a", granted);
    const a2 = track(pool, "a", granted);
    const a3 = track(pool, "a", granted);
    const b1 = track(pool, "b", granted);
    const b2 = track(pool, "b", granted);
    await Promise.all([a1, a2, b1]);
    // a3 waits for its host, b2 for the global limit.
    expect(granted).toEqual(["a", "a", "b"]);
    (await a1).release();
    await a3;
    expect(granted).toEqual(["a", "a", "b", "a"]);
    (await b1).release();
    await b2;
    expect(granted).toEqual(["a", "a", "b", "a", "b"]);
  });

  it("gives the slot back only once, and an aborted wait leaves the queue", async () => {
    const pool = new WorkerPool({ global: 1, perHost: 1 });
    const first = await pool.acquire("a");
    const controller = new AbortController();
    const aborted = pool.acquire("a", controller.signal);
    controller.abort(new Error("cancel"));
    await expect(aborted).rejects.toThrow(/cancel/);
    first();
    first();
    const second = await pool.acquire("a");
    let thirdGranted = false;
    const third = pool.acquire("a").then((release) => {
      thirdGranted = true;
      return release;
    });
    // Grants resolve as microtasks; a macrotask later, a third slot created by the double release would show.
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdGranted).toBe(false);
    second();
    (await third)();
    expect(thirdGranted).toBe(true);
  });

  it("does not count a double release against other hosts either", async () => {
    const pool = new WorkerPool({ global: 2, perHost: 2 });
    const a = await pool.acquire("a");
    await pool.acquire("b");
    a();
    a();
    await pool.acquire("c");
    let extraGranted = false;
    void pool.acquire("d").then(() => {
      extraGranted = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Two slots are held (b and c): a second release of a's slot must not have made room for d.
    expect(extraGranted).toBe(false);
  });

  it("refuses limits below one", () => {
    expect(errorOf(() => new WorkerPool({ global: 0, perHost: 1 })).message).toMatch(/global worker limit/);
  });
});

describe("changing the worker pool's limits while it runs", () => {
  const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  it("grants waiting slots at once when the limits rise", async () => {
    const pool = new WorkerPool({ global: 1, perHost: 1 });
    const granted: string[] = [];
    const first = track(pool, "a", granted);
    const second = track(pool, "a", granted);
    const third = track(pool, "b", granted);
    await first;
    await tick();
    expect(granted).toEqual(["a"]);
    pool.setLimits({ global: 3, perHost: 2 });
    await Promise.all([second, third]);
    expect(granted.sort()).toEqual(["a", "a", "b"]);
    expect(pool.limits).toEqual({ global: 3, perHost: 2 });
  });

  it("lets transfers in flight finish when the limits fall, and holds new ones until below", async () => {
    const pool = new WorkerPool({ global: 3, perHost: 3 });
    const granted: string[] = [];
    const held = await Promise.all([track(pool, "a", granted), track(pool, "a", granted)]);
    pool.setLimits({ global: 1, perHost: 1 });
    const next = track(pool, "a", granted);
    await tick();
    expect(granted).toHaveLength(2);
    held[0].release();
    await tick();
    expect(granted).toHaveLength(2);
    held[1].release();
    await next;
    expect(granted).toHaveLength(3);
  });

  it("refuses limits below 1", () => {
    const pool = new WorkerPool();
    const error = errorOf(() => {
      pool.setLimits({ global: 0, perHost: 1 });
    });
    expect(error.code).toBe("invalid_input");
    expect(pool.limits).toEqual({ global: 4, perHost: 2 });
  });
});
