import { z } from "zod";
import { itemStateSchema, jobStateSchema } from "./jobs.js";

/**
 * What `/api/events` sends. Each server-sent event's `event:` is the `type` below and its `data:` this JSON;
 * its `id:` is `EPOCH-SEQ`, so a reconnect with `Last-Event-ID` replays what was missed, and a `resync` says the
 * gap cannot be replayed (the server restarted or the gap is older than its buffer): fetch everything again.
 */
export const apiEventSchema = z.discriminatedUnion("type", [
  /** A job's state changed, here or in another process (a `larder mirror` in a terminal). */
  z.object({ type: z.literal("job"), job: z.number().int(), state: jobStateSchema }),
  z.object({
    type: z.literal("job-item"),
    job: z.number().int(),
    item: z.number().int(),
    label: z.string(),
    state: itemStateSchema,
  }),
  /** Byte progress of a running item, at most ~5 per second per job. */
  z.object({
    type: z.literal("progress"),
    job: z.number().int(),
    item: z.number().int(),
    label: z.string(),
    bytesDone: z.number(),
    bytesTotal: z.number().nullable(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
  }),
  /** What is stored changed: refetch the inventory (and the projects, whose checks follow the mirror). */
  z.object({ type: z.literal("inventory") }),
  /** A project was added, changed or removed: refetch the project list. */
  z.object({ type: z.literal("projects") }),
  z.object({ type: z.literal("settings"), keys: z.array(z.string()) }),
  /** A catalog refresh started or finished: search results and their refresh times may have changed. */
  z.object({
    type: z.literal("catalog"),
    state: z.enum(["started", "finished"]),
    registries: z.array(z.string()),
    sources: z.array(
      z.object({
        registry: z.string(),
        kind: z.enum(["provider", "module"]),
        entries: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
  }),
  /** A bundle export, verify or import moved on. */
  z.object({
    type: z.literal("bundle"),
    operation: z.enum(["export", "verify", "import"]),
    phase: z.enum(["started", "progress", "finished", "failed"]),
    bytesDone: z.number(),
    bytesTotal: z.number().nullable(),
    message: z.string().nullable(),
  }),
  /** The server is up (sent first on every connection) or stopping. */
  z.object({ type: z.literal("server"), state: z.enum(["ready", "stopping"]), version: z.string() }),
  z.object({ type: z.literal("resync"), reason: z.string() }),
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;
export type ApiEventType = ApiEvent["type"];

/** Every event type, for `EventSource.addEventListener`. */
export const API_EVENT_TYPES = apiEventSchema.options.map((option) => option.shape.type.value);
