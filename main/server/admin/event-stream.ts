import type { RequestHandler, Response } from "express";
import type { ApiEvent } from "../../../shared/api/index.js";
import { APP_VERSION } from "../../engine/app-version.js";
import { sendJson } from "../send-json.js";

/** Limits of the event stream. */
export interface EventStreamOptions {
  /** Events kept for `Last-Event-ID` replay. */
  readonly bufferSize: number;
  /** Open connections at most; one more is answered 503 (a window per user, a few scripts). */
  readonly maxSubscribers: number;
  /** A comment line this often keeps proxies and the browser from timing the connection out. */
  readonly heartbeatMs: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = {
  bufferSize: 2000,
  maxSubscribers: 32,
  heartbeatMs: 15_000,
};

interface Buffered {
  readonly seq: number;
  readonly frame: string;
}

/**
 * `/api/events`: server-sent events with ids `EPOCH-SEQ`. The epoch is this server's start, so after a restart a
 * client's `Last-Event-ID` is recognised as from another life and answered with `resync` (refetch everything)
 * instead of silently skipping what it missed; within a life the buffer replays every event after the id.
 */
export class EventStream {
  private readonly epoch = Date.now().toString(36);
  private seq = 0;
  private readonly buffer: Buffered[] = [];
  private readonly subscribers = new Set<Response>();
  /** In-process listeners (the desktop app's notifications and tray), called after the connections. */
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: EventStreamOptions = DEFAULT_EVENT_STREAM_OPTIONS) {
    this.heartbeat = setInterval(() => {
      for (const res of this.subscribers) res.write(": heartbeat\n\n");
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** How many connections are open. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Sends an event to every subscriber and keeps it for replay. */
  publish(event: ApiEvent): void {
    this.seq += 1;
    const frame = frameOf(event, `${this.epoch}-${this.seq}`);
    this.buffer.push({ seq: this.seq, frame });
    if (this.buffer.length > this.options.bufferSize) this.buffer.shift();
    for (const res of this.subscribers) res.write(frame);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's fault (a notification that could not show) must not stop the stream or the others.
      }
    }
  }

  /** Calls `listener` with every event published from now on; returns the unsubscribe. */
  listen(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The Express handler of `GET /api/events`. */
  readonly handler: RequestHandler = (req, res) => {
    if (this.subscribers.size >= this.options.maxSubscribers) {
      res.setHeader("Retry-After", "5");
      sendJson(
        res,
        {
          errors: [
            `Too many event streams are open (${this.options.maxSubscribers}); close a window and retry.`,
          ],
        },
        503,
      );
      return;
    }
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("Connection", "keep-alive");
    // nginx and similar proxies would otherwise hold events back until a buffer fills.
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    // The client retries after 2 s when the connection drops (EventSource does it by itself).
    res.write(`retry: 2000\n${frameOf({ type: "server", state: "ready", version: APP_VERSION })}`);
    const lastId =
      req.get("last-event-id") ??
      (typeof req.query.lastEventId === "string" ? req.query.lastEventId : undefined);
    if (lastId !== undefined) this.replay(res, lastId);
    this.subscribers.add(res);
    req.socket.setNoDelay(true);
    res.on("close", () => this.subscribers.delete(res));
  };

  /** Says goodbye to every subscriber and ends their streams (the server is stopping). */
  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.subscribers) {
      res.end(frameOf({ type: "server", state: "stopping", version: APP_VERSION }));
    }
    this.subscribers.clear();
    this.listeners.clear();
  }

  private replay(res: Response, lastId: string): void {
    const [epoch, rawSeq] = lastId.split("-");
    const seq = Number(rawSeq);
    const oldest = this.buffer[0]?.seq ?? this.seq + 1;
    if (epoch !== this.epoch || !Number.isInteger(seq) || seq > this.seq) {
      res.write(frameOf({ type: "resync", reason: "The server restarted since the last event you saw." }));
      return;
    }
    if (seq < oldest - 1) {
      res.write(frameOf({ type: "resync", reason: "More happened than the server keeps for replay." }));
      return;
    }
    for (const entry of this.buffer) if (entry.seq > seq) res.write(entry.frame);
  }
}

/** One SSE frame; events without an id (greetings, resync) do not move the client's Last-Event-ID. */
function frameOf(event: ApiEvent, id?: string): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
