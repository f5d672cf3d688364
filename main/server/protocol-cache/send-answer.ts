import type { IncomingMessage, ServerResponse } from "node:http";
import type { CachedAnswer } from "./answer-cache.js";

/**
 * Every metadata answer may change when the mirror does (a version added, a package deleted), so caches in
 * between must ask again each time; the ETag makes that a 304 without a body when nothing changed.
 */
const METADATA_CACHE_CONTROL = "no-cache";

/**
 * Sends a cached answer with plain Node calls (the fast path has no Express): `304 Not Modified` when the client's
 * If-None-Match names its tag, otherwise the bytes with an exact Content-Length. HEAD gets the headers only.
 */
export function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: CachedAnswer): void {
  res.setHeader("ETag", answer.etag);
  res.setHeader("Cache-Control", METADATA_CACHE_CONTROL);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (matchesIfNoneMatch(req.headers["if-none-match"], answer.etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = answer.status;
  if (answer.status === 204) {
    res.end();
    return;
  }
  // Exactly application/json: terraform's network-mirror client warns about media type parameters.
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", answer.body.length);
  if (req.method === "HEAD") res.end();
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
