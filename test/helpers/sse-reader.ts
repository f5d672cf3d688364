/** One server-sent event as a browser's EventSource would deliver it. */
export interface SseEvent {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

/**
 * Reads `text/event-stream` from a fetch response, frame by frame, the way EventSource parses it; comments
 * (heartbeats) are counted, not delivered.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  private buffer = "";
  private waiters: (() => void)[] = [];
  private done = false;

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    void this.pump();
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    return new SseReader(response, controller);
  }

  /** Waits until an event matches (default 10 s). */
  async waitFor(match: (event: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.done) throw new Error(`The stream ended without the event; got: ${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`Timed out waiting for an event; got: ${this.describe()}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** The events' data as parsed JSON, of one type. */
  dataOf<T>(type: string): T[] {
    return this.events.filter((event) => event.event === type).map((event) => JSON.parse(event.data) as T);
  }

  close(): void {
    this.controller.abort();
  }

  private describe(): string {
    return this.events.map((event) => `${event.event}#${event.id ?? "-"}`).join(", ");
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    try {
      const reader = body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf("\n\n")) >= 0) {
          this.frame(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // Aborted by close(), or the server went away.
    }
    this.done = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private frame(text: string): void {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    let fields = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith(":")) {
        this.comments += 1;
        continue;
      }
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      fields += 1;
      if (name === "id") id = value;
      else if (name === "event") event = value;
      else if (name === "data") data.push(value);
    }
    if (fields > 0 && data.length > 0) this.events.push({ id, event, data: data.join("\n") });
  }
}
