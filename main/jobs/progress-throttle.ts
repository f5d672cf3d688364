/** An event that is either a progress update (may be dropped) or a state change (always delivered). */
export interface ThrottleableEvent {
  readonly kind: string;
}

/**
 * Passes progress events on at most once per `intervalMs` for one run (about 5 per second by default), and
 * every other event at once: a person watching needs every state change, not every chunk. A progress event that
 * `isFinal` picks (the last byte of a transfer) always passes, so a bar never stops short of 100%.
 */
export function throttleProgress<TEvent extends ThrottleableEvent>(
  deliver: (event: TEvent) => void,
  intervalMs = 200,
  now: () => number = Date.now,
  isFinal: (event: TEvent) => boolean = () => false,
): (event: TEvent) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (event) => {
    if (event.kind !== "progress") {
      deliver(event);
      return;
    }
    const at = now();
    if (at - last < intervalMs && !isFinal(event)) return;
    last = at;
    deliver(event);
  };
}
