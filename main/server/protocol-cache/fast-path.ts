import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerMetrics } from "../metrics.js";
import type { AnswerCache } from "./answer-cache.js";
import { sendAnswer } from "./send-answer.js";

/** The protocol paths whose answers the cache holds (architecture §4): everything else goes to Express. */
const CACHED_PREFIXES = ["/v1/providers/", "/providers/", "/v1/modules/"] as const;

/**
 * Answers a request straight from the answer cache, before Express parses, routes and wraps it: the hot
 * requests of `init` (versions, download JSON, index.json, {version}.json, module versions and downloads) cost a
 * map lookup and one SQLite row read. Returns false, having touched nothing, when the request is not a cached
 * answer; Express then builds it (and fills the cache). Counted in the same metrics as the Express routes.
 */
export function createProtocolFastPath(
  cache: AnswerCache,
  metrics: Pick<ServerMetrics, "countRequest" | "countServed">,
  /** While pull-through is on, answers merge upstream listings and are never cached. */
  pullThroughOn: () => boolean,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url;
    if ((req.method !== "GET" && req.method !== "HEAD") || url === undefined || url.includes("?"))
      return false;
    if (!CACHED_PREFIXES.some((prefix) => url.startsWith(prefix)) || pullThroughOn()) return false;
    const answer = cache.get(url);
    if (!answer) return false;
    sendAnswer(req, res, answer);
    metrics.countRequest(url, res.statusCode);
    if (answer.served) metrics.countServed(answer.served, "hit");
    return true;
  };
}
