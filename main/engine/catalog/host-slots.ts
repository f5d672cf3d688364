/**
 * At most `perHost` tasks at once per host, shared by every caller holding the same instance: size estimates of
 * two browser tabs still ask a registry no more than twice at once. Waiters start in arrival order.
 */
export class HostSlots {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly perHost: number) {}

  /** Runs `task` once a slot for `host` is free, and frees it when the task settles. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private acquire(host: string): Promise<void> {
    const count = this.running.get(host) ?? 0;
    if (count < this.perHost) {
      this.running.set(host, count + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.set(host, [...(this.waiting.get(host) ?? []), resolve]);
    });
  }

  private release(host: string): void {
    const [next, ...rest] = this.waiting.get(host) ?? [];
    if (next) {
      // The slot passes straight to the next waiter, so the count stays as it is.
      this.waiting.set(host, rest);
      next();
      return;
    }
    this.waiting.delete(host);
    const count = (this.running.get(host) ?? 1) - 1;
    if (count > 0) this.running.set(host, count);
    else this.running.delete(host);
  }
}
