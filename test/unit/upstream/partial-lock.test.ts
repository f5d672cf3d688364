import { spawn } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PARTIAL_LOCK_POLL_MS, withPartialLock } from "../../../main/upstream/partial-lock.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let lock: string;

/** The pid of a process that has exited (so no process has it for now). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid ?? 0;
}

beforeEach(async () => {
  dir = await makeTempDir("partial-lock");
  lock = join(dir.path, "x.part.lock");
});

afterEach(async () => {
  await dir.remove();
});

describe("the cross-process lock of a partial download", () => {
  it("holds this process's pid while the work runs and removes the file afterwards", async () => {
    const seen = await withPartialLock(lock, () => readFile(lock, "utf8"));
    expect(seen).toBe(String(process.pid));
    expect(await stat(lock).catch(() => undefined)).toBeUndefined();
  });

  it("takes over a lock whose process is gone", async () => {
    await writeFile(lock, String(await deadPid()));
    expect(await withPartialLock(lock, () => Promise.resolve("ran"))).toBe("ran");
  });

  it("waits while a live process holds it, and runs once that process lets go", async () => {
    // The parent process (vitest's runner) is alive for the whole test.
    await writeFile(lock, String(process.ppid));
    let ran = false;
    const waiting = withPartialLock(lock, () => {
      ran = true;
      return Promise.resolve();
    });
    // Two and a half poll rounds: the waiter has read the lock and judged its holder alive at least twice, so a
    // wrong takeover (or a wrong create over the file) would have run the work by now.
    await sleep(PARTIAL_LOCK_POLL_MS * 2.5);
    expect(ran).toBe(false);
    expect(await readFile(lock, "utf8")).toBe(String(process.ppid));
    await rm(lock);
    await waiting;
    expect(ran).toBe(true);
  });

  it("stops waiting at once when the signal aborts", async () => {
    await writeFile(lock, String(process.ppid));
    const controller = new AbortController();
    const waiting = withPartialLock(lock, () => Promise.resolve(), controller.signal);
    controller.abort(new Error("paused"));
    await expect(waiting).rejects.toThrow(/paused/);
    expect(await readFile(lock, "utf8")).toBe(String(process.ppid));
  });
});
