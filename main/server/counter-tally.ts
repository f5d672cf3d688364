/**
 * Counts by a pair of label values in plain numbers, handed to a prom-client Counter only when /metrics is read.
 * prom-client's `inc({…})` hashes and validates its label object on every call, which showed on the metadata fast
 * path (tens of thousands of answers a second, issue 15); a Map lookup and an addition cost next to nothing.
 */
export class CounterTally<First, Second> {
  private readonly counts = new Map<First, Map<Second, number>>();

  /** Counts one more for (first, second). */
  add(first: First, second: Second): void {
    let bySecond = this.counts.get(first);
    if (bySecond === undefined) {
      bySecond = new Map();
      this.counts.set(first, bySecond);
    }
    bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
  }

  /** Hands every count since the last drain to `into`, then starts again from zero. */
  drain(into: (first: First, second: Second, count: number) => void): void {
    for (const [first, bySecond] of this.counts) {
      for (const [second, count] of bySecond) into(first, second, count);
    }
    this.counts.clear();
  }
}
