import { LarderError } from "../core/errors.js";

/** How many items may transfer at once: in the whole process, and against one upstream host. */
export interface WorkerLimits {
  readonly global: number;
  readonly perHost: number;
}

/** The defaults: enough parallelism for many small packages without hammering one registry. */
export const DEFAULT_WORKER_LIMITS: WorkerLimits = { global: 4, perHost: 2 };

interface Waiter {
  readonly host: string;
  readonly grant: () => void;
}

/**
 * Slots for job items, shared by every job a process runs. A waiter gets a slot when both the global and its
 * host's count are under their limits; waiters are served in arrival order per host, so no host starves another.
 */
export class WorkerPool {
  private active = 0;
  private readonly perHost = new Map<string, number>();
  private readonly waiters: Waiter[] = [];

  private current: WorkerLimits;

  constructor(limits: WorkerLimits = DEFAULT_WORKER_LIMITS) {
    this.current = checked(limits);
  }

  /** The limits in force. */
  get limits(): WorkerLimits {
    return this.current;
  }

  /**
   * Changes the limits while jobs run (a changed setting). Raising them grants waiting slots at once; lowering
   * them lets transfers in flight finish and only holds back new ones until the counts drop below.
   */
  setLimits(limits: WorkerLimits): void {
    this.current = checked(limits);
    this.dispatch();
  }

  /** Waits for a slot for `host`; resolves with the function that gives it back. An abort stops the wait. */
  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        host,
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.take(host));
        },
      };
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
      this.dispatch();
    });
  }

  private take(host: string): () => void {
    this.active += 1;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.perHost.set(host, (this.perHost.get(host) ?? 1) - 1);
      this.dispatch();
    };
  }

  private dispatch(): void {
    for (let index = 0; index < this.waiters.length && this.active < this.current.global;) {
      const waiter = this.waiters[index];
      if (waiter && (this.perHost.get(waiter.host) ?? 0) < this.current.perHost) {
        this.waiters.splice(index, 1);
        // grant() counts the slot (take) synchronously, before the next iteration checks the limits again.
        waiter.grant();
      } else {
        index += 1;
      }
    }
  }
}

/** The limits if each is a whole number of 1 or more. */
function checked(limits: WorkerLimits): WorkerLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new LarderError("invalid_input", `The ${name} worker limit must be a whole number of 1 or more.`);
    }
  }
  return { global: limits.global, perHost: limits.perHost };
}
