import { API_EVENT_TYPES, apiEventSchema, type ApiEvent } from "../../shared/api/events.js";

/** What the event connection tells the UI about itself. */
export type ConnectionChange =
  | { readonly state: "open" }
  | { readonly state: "lost"; readonly retryInMs: number; readonly attempt: number }
  | { readonly state: "unauthorized" };

export interface EventConnectionHandlers {
  readonly onEvent: (event: ApiEvent) => void;
  readonly onChange: (change: ConnectionChange) => void;
}

/** Waits before the next attempt: 1 s, 2 s, 4 s … up to 30 s, so a stopped server is not hammered. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * The one `EventSource` of the UI. The browser's own retry gives up on an HTTP error and forgets the last id
 * across a new EventSource, so reconnects are ours: with backoff and `?lastEventId=` for replay.
 */
export function connectEvents(handlers: EventConnectionHandlers): () => void {
  let source: EventSource | undefined;
  let lastEventId: string | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const open = (): void => {
    const query = lastEventId === undefined ? "" : `?lastEventId=${encodeURIComponent(lastEventId)}`;
    const current = new EventSource(`/api/events${query}`);
    source = current;
    current.onopen = () => {
      attempt = 0;
      handlers.onChange({ state: "open" });
    };
    for (const type of API_EVENT_TYPES) {
      current.addEventListener(type, (message: MessageEvent<string>) => {
        if (message.lastEventId !== "") lastEventId = message.lastEventId;
        const parsed = apiEventSchema.safeParse(JSON.parse(message.data));
        if (parsed.success) handlers.onEvent(parsed.data);
      });
    }
    current.onerror = () => {
      current.close();
      if (stopped) return;
      attempt += 1;
      void probeUnauthorized().then((unauthorized) => {
        if (stopped) return;
        if (unauthorized) {
          handlers.onChange({ state: "unauthorized" });
          return;
        }
        const retryInMs = backoffMs(attempt);
        handlers.onChange({ state: "lost", retryInMs, attempt });
        timer = setTimeout(open, retryInMs);
      });
    };
  };

  open();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    source?.close();
  };
}

/** EventSource hides the status of a failed connection; a HEAD-sized status call tells 401 from a dead server. */
async function probeUnauthorized(): Promise<boolean> {
  try {
    const response = await fetch("/api/status", { credentials: "same-origin" });
    return response.status === 401;
  } catch {
    return false;
  }
}
