import type { IncomingMessage, ServerResponse } from "node:http";
import type { CachedAnswer } from "./answer-cache.js";

/**
 * Sends a cached answer with plain Node calls (the fast path has no Express): `304 Not Modified` when the client's
 * If-None-Match names its tag, otherwise the bytes with an exact Content-Length. HEAD gets the headers only. The
 * header fields were built with the answer, so this is one writeHead and one end.
 */
export function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: CachedAnswer): void {
  if (matchesIfNoneMatch(req.headers["if-none-match"], answer.etag)) {
    res.writeHead(304, answer.headerLists.notModified);
    res.end();
    return;
  }
  res.writeHead(answer.status, answer.headerLists.full);
  if (answer.status === 204 || req.method === "HEAD") res.end();
  else res.end(answer.body);
}

/** RFC 9110 §13.1.2: a list of tags or `*`, compared weakly (a `W/` prefix still matches). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return (tag.startsWith("W/") ? tag.slice(2) : tag) === etag;
  });
}
