import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerMetrics } from "../metrics.js";
import type { AnswerCache } from "./answer-cache.js";
import { sendAnswer } from "./send-answer.js";

/** The protocol paths whose answers the cache holds (architecture §4): everything else goes to Express. */
const CACHED_PREFIXES = ["/v1/providers/", "/providers/", "/v1/modules/"] as const;

/** A plain Node request handler: the fast path itself, and what it hands the rest to (the Express app). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Answers requests straight from the answer cache, before Express parses, routes and wraps them: the hot
 * requests of `init` (versions, download JSON, index.json, {version}.json, module versions and downloads) cost a
 * map lookup. Everything else, and a cached path whose answer is not held, goes to `fallback` (Express, which
 * builds the answer and fills the cache). Counted in the same metrics as the Express routes.
 *
 * The mirror's generation (one SQLite read: a read transaction costs three system calls, about 8 µs here, as much
 * as the rest of a cached answer) is read once per turn of the event loop rather than once per request: the
 * requests read from their sockets in one poll phase are answered together right after it (setImmediate), after
 * one read of the generation. That read comes after every one of those requests arrived, so a change committed by
 * any process before a client sent its request is still in its answer (architecture §4).
 */
export function createProtocolFastPath(
  cache: AnswerCache,
  metrics: Pick<ServerMetrics, "countRequest" | "countServed">,
  /** While pull-through is on, answers merge upstream listings and are never cached. */
  pullThroughOn: () => boolean,
  fallback: RequestHandler,
): RequestHandler {
  let waiting: { req: IncomingMessage; res: ServerResponse; url: string }[] = [];

  const answerWaiting = (): void => {
    const batch = waiting;
    waiting = [];
    try {
      cache.sync();
    } catch {
      // The database could not be read: Express builds each answer and reports the error as any route does.
      for (const { req, res } of batch) fallback(req, res);
      return;
    }
    for (const { req, res, url } of batch) {
      const answer = cache.held(url);
      if (!answer) {
        fallback(req, res);
        continue;
      }
      try {
        sendAnswer(req, res, answer);
      } catch {
        // Thrown here, outside any request handler, an error would end the process and leave the rest of the
        // batch unanswered; Express builds this one again and answers its error as any route does.
        if (res.headersSent) res.destroy();
        else fallback(req, res);
        continue;
      }
      metrics.countRequest(url, res.statusCode);
      if (answer.served) metrics.countServed(answer.served, "hit");
    }
  };

  return (req, res) => {
    const url = req.url;
    if (
      (req.method !== "GET" && req.method !== "HEAD") ||
      url === undefined ||
      url.includes("?") ||
      !CACHED_PREFIXES.some((prefix) => url.startsWith(prefix)) ||
      pullThroughOn()
    ) {
      fallback(req, res);
      return;
    }
    if (waiting.length === 0) setImmediate(answerWaiting);
    waiting.push({ req, res, url });
  };
}
