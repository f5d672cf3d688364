import type { ApiEvent } from "../../shared/api/events.js";

type Listener = (event: ApiEvent) => void;

const listeners = new Set<Listener>();

/**
 * How stores hear server events: each store subscribes its own handler when its module loads (a `resync` event
 * means "refetch everything you hold"), and the one event connection in app/ publishes here.
 */
export function onApiEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands one event from the connection to every store. */
export function publishApiEvent(event: ApiEvent): void {
  for (const listener of listeners) listener(event);
}
