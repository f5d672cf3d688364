/** Transfer rate and time left for one download, from samples over a sliding window. */
export interface ProgressFigures {
  readonly bytesPerSecond: number;
  /** Seconds until done at the current rate; undefined while the total or the rate is unknown. */
  readonly etaSeconds: number | undefined;
}

/**
 * Measures a transfer's rate over the last `windowMs` (so a stall shows up quickly and a resumed prefix does not
 * inflate it) and derives the time left.
 */
export class ProgressMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records the bytes done so far and returns the current figures. */
  update(bytesDone: number, bytesTotal: number | undefined): ProgressFigures {
    const at = this.now();
    this.samples.push({ at, bytes: bytesDone });
    while (this.samples.length > 2 && (this.samples[0]?.at ?? at) < at - this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = first ? (at - first.at) / 1000 : 0;
    const bytesPerSecond = first && elapsed > 0 ? Math.max(0, (bytesDone - first.bytes) / elapsed) : 0;
    const etaSeconds =
      bytesTotal !== undefined && bytesPerSecond > 0
        ? Math.max(0, (bytesTotal - bytesDone) / bytesPerSecond)
        : undefined;
    return { bytesPerSecond, etaSeconds };
  }
}
