/**
 * Every metadata answer may change when the mirror does (a version added, a package deleted), so caches in
 * between must ask again each time; the ETag makes that a 304 without a body when nothing changed.
 */
const METADATA_CACHE_CONTROL = "no-cache";

/**
 * The header lists of one cached answer, as the flat `[name, value, …]` arrays `res.writeHead` takes. Built once
 * when the answer is cached, so a request costs one writeHead instead of a setHeader per field (each of which
 * validates, lower-cases and stores its field; issue 15's bench at 64 connections). Never mutated once built.
 */
export interface AnswerHeaderLists {
  /** The 200 (or 204) answer to a GET or HEAD. */
  readonly full: string[];
  /** The 304 to a matching If-None-Match: the validator and caching fields, no body fields. */
  readonly notModified: string[];
}

/** The fields of an answer with `etag`, its own `extra` fields (X-Terraform-Get) and a body of `bodyBytes`. */
export function answerHeaderLists(
  status: 200 | 204,
  etag: string,
  extra: Readonly<Record<string, string>>,
  bodyBytes: number,
): AnswerHeaderLists {
  const common = ["ETag", etag, "Cache-Control", METADATA_CACHE_CONTROL, ...Object.entries(extra).flat()];
  const body =
    status === 204
      ? []
      : // Exactly application/json: terraform's network-mirror client warns about media type parameters.
        ["Content-Type", "application/json", "Content-Length", String(bodyBytes)];
  return { full: [...common, ...body], notModified: common };
}
