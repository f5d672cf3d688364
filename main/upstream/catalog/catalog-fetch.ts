import { setTimeout as timersSleep } from "node:timers/promises";
import { LarderError } from "../../core/errors.js";
import type { CatalogEntry } from "../../core/catalog.js";
import { expectOk, type UpstreamHttpClient } from "../http-client.js";
import type { WarningSink } from "../lenient-json.js";
import { fixedUpstreams, type UpstreamResolver } from "../service-discovery.js";

/** Waits MS milliseconds, rejecting when SIGNAL aborts; injected so tests need not wait out a Retry-After. */
export type CatalogSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What every catalog source is built with. */
export interface CatalogSourceOptions {
  /** The same `--upstream HOST=URL` settings the registry clients use (a resolver, or a fixed map). */
  readonly upstreams: UpstreamResolver | ReadonlyMap<string, string>;
  /** Receives a message for each skipped entry or page. */
  readonly warn?: WarningSink;
  readonly sleep?: CatalogSleep;
  /** How many times a 429 is waited out before giving up; default 3. */
  readonly rateLimitRetries?: number;
  /** The longest Retry-After honoured; a longer one is cut to this. Default 60 s. */
  readonly maxRetryAfterMs?: number;
}

/** A page of entries and where it sits, so a refresh can store `next` and resume there after an interruption. */
export interface CatalogEntriesPage {
  readonly kind: "entries";
  readonly entries: readonly CatalogEntry[];
  /** The cursor this page was fetched with: a page number, an offset, or 0 for a whole index document. */
  readonly cursor: number;
  /** The cursor of the following page; null after the last. */
  readonly next: number | null;
  /** The page's ETag, to send as `ifNoneMatch` next time; null when the source sent none. */
  readonly etag: string | null;
}

/** The page at `cursor` is unchanged since `etag` (HTTP 304): the caller keeps what it stored. */
export interface CatalogNotModified {
  readonly kind: "not-modified";
  readonly cursor: number;
  readonly etag: string;
}

export type CatalogPage = CatalogEntriesPage | CatalogNotModified;

/** Where a listing starts and what it was last time. */
export interface CatalogListOptions {
  /** A cursor from an earlier page's `next`; defaults to the first page. */
  readonly from?: number;
  /** The ETag of the first page fetched (at `from`) last time; a 304 ends the listing as not modified. */
  readonly ifNoneMatch?: string;
  readonly signal?: AbortSignal;
}

/** One catalog document as fetched: JSON, unchanged, or a body that is not JSON (a page to skip). */
export type FetchedDocument =
  | { readonly kind: "json"; readonly json: unknown; readonly etag: string | null }
  | { readonly kind: "not-modified"; readonly etag: string }
  | { readonly kind: "malformed"; readonly detail: string }
  | { readonly kind: "not-found" };

/** Consecutive unreadable pages after which a listing stops instead of walking past the end forever. */
export const maxSkippedPages = 3;

/** OpenTofu's provider index is tens of megabytes; a page of registry.terraform.io's far less. */
const maxDocumentBytes = 128 * 1024 * 1024;

/**
 * Fetches catalog documents from one API host (reached at its `--upstream` URL): conditional requests, and 429
 * waited out per Retry-After a bounded number of times. Other transient failures are the HTTP client's retries.
 */
export class CatalogFetcher {
  private readonly resolve: UpstreamResolver;
  private readonly sleep: CatalogSleep;
  private readonly retries: number;
  private readonly maxWait: number;
  readonly warn: WarningSink;

  constructor(
    private readonly http: UpstreamHttpClient,
    /** The host the API is served from (`registry.terraform.io`, `api.opentofu.org`), as overrides name it. */
    readonly apiHost: string,
    options: CatalogSourceOptions,
  ) {
    const { upstreams } = options;
    this.resolve = typeof upstreams === "function" ? upstreams : fixedUpstreams(upstreams);
    this.sleep = options.sleep ?? ((ms, signal) => timersSleep(ms, undefined, { signal }));
    this.retries = options.rateLimitRetries ?? 3;
    this.maxWait = options.maxRetryAfterMs ?? 60_000;
    this.warn = options.warn ?? (() => undefined);
  }

  /** The API host's base URL now (looked up each time, so a changed setting applies to the next listing). */
  baseUrl(): string {
    return this.resolve(this.apiHost).baseUrl;
  }

  async fetch(
    url: string,
    what: string,
    request: {
      readonly ifNoneMatch?: string | undefined;
      readonly signal?: AbortSignal | undefined;
      /** Answer 404 as `not-found` (an unknown provider) instead of throwing. */
      readonly allowNotFound?: boolean;
    },
  ): Promise<FetchedDocument> {
    const { token } = this.resolve(this.apiHost);
    const headers: Record<string, string> = {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(request.ifNoneMatch === undefined ? {} : { "if-none-match": request.ifNoneMatch }),
    };
    for (let attempt = 0; ; attempt++) {
      const document = await this.http.getDocument(
        url,
        { what, accept: "application/json", headers, ...(request.signal ? { signal: request.signal } : {}) },
        { maxBytes: maxDocumentBytes, passStatuses: [429] },
      );
      if (document.status === 429) {
        if (attempt >= this.retries) {
          throw new LarderError(
            "upstream_error",
            `${this.apiHost} is rate-limiting catalog requests: ${what} from ${url} still answered HTTP 429 after ${attempt + 1} attempts. Try the refresh again later; it resumes where it stopped.`,
          );
        }
        await this.sleep(this.waitFor(document.headers.get("retry-after"), attempt), request.signal);
        continue;
      }
      const etag = document.headers.get("etag");
      if (document.status === 304) return { kind: "not-modified", etag: etag ?? request.ifNoneMatch ?? "" };
      if (document.status === 404 && request.allowNotFound === true) return { kind: "not-found" };
      expectOk(document, url, what);
      try {
        return {
          kind: "json",
          json: JSON.parse(Buffer.from(document.bytes).toString("utf8")) as unknown,
          etag,
        };
      } catch {
        return { kind: "malformed", detail: "the response is not valid JSON" };
      }
    }
  }

  /** Retry-After in seconds or as an HTTP date, capped; a missing or unreadable one backs off from 1 s. */
  private waitFor(header: string | null, attempt: number): number {
    const fallback = Math.min(this.maxWait, 1000 * 2 ** attempt);
    if (header === null) return fallback;
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
    return Number.isFinite(ms) ? Math.min(this.maxWait, Math.max(0, ms)) : fallback;
  }
}
