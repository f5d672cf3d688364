/**
 * An in-process publish/subscribe channel. The engine publishes what happens (progress, state changes,
 * inventory changes); the CLI, the admin API's event stream and tests subscribe.
 */
export class EventBus<TEvent> {
  private readonly listeners = new Set<(event: TEvent) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: TEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener; one failing listener does not stop the others. */
  publish(event: TEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break the download that published the event.
      }
    }
  }
}
