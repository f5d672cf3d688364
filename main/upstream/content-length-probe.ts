import type { Response } from "undici";
import { LarderError } from "../core/errors.js";
import { unreachable, type RequestContext, type UpstreamHttpClient } from "./http-client.js";

/**
 * The size of the file at `url` without downloading it: a `HEAD` and its Content-Length, or, when the server
 * refuses HEAD (signed S3-style URLs answer 403/405 to a method they were not signed for) or sends no length, a
 * `GET` of one byte whose Content-Range names the total. One attempt each, bounded by `timeoutMs` (and `signal`): a
 * size estimate is asked again later rather than retried. Throws a LarderError saying why when no size can be had.
 */
export async function probeContentLength(
  http: UpstreamHttpClient,
  url: string,
  what: string,
  signal?: AbortSignal,
  timeoutMs = 10_000,
): Promise<number> {
  const bound = AbortSignal.timeout(timeoutMs);
  const context: RequestContext = {
    what: `the size of ${what}`,
    signal: signal ? AbortSignal.any([signal, bound]) : bound,
  };
  let head: Response;
  try {
    head = await http.headOnce(url, context);
  } catch (error) {
    throw unreachable(url, context.what, error, 1);
  }
  const length = head.ok ? lengthOf(head.headers.get("content-length")) : undefined;
  if (length !== undefined) return length;
  if (head.ok || [403, 405, 501].includes(head.status)) {
    const ranged = await rangedTotal(http, url, context);
    if (ranged !== undefined) return ranged;
  }
  throw new LarderError(
    "upstream_error",
    head.ok
      ? `${url} sent no Content-Length for ${what}.`
      : `Asking the size of ${what} at ${url} failed: HTTP ${head.status} ${head.statusText}.`,
  );
}

/** `GET` with `Range: bytes=0-0`: the total of a 206's Content-Range, or a 200's Content-Length; body discarded. */
async function rangedTotal(
  http: UpstreamHttpClient,
  url: string,
  context: RequestContext,
): Promise<number | undefined> {
  let response: Response;
  try {
    response = await http.getOnce(url, { ...context, headers: { range: "bytes=0-0" } });
  } catch (error) {
    throw unreachable(url, context.what, error, 1);
  }
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 206) {
    const total = /\/(\d+)\s*$/.exec(response.headers.get("content-range") ?? "")?.[1];
    return lengthOf(total ?? null);
  }
  return response.status === 200 ? lengthOf(response.headers.get("content-length")) : undefined;
}

function lengthOf(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const value = Number(header.trim());
  return Number.isSafeInteger(value) ? value : undefined;
}
