import { setTimeout as sleep } from "node:timers/promises";
import { EnvHttpProxyAgent, fetch, type Dispatcher, type Response } from "undici";
import { LarderError } from "../core/errors.js";

/** How the upstream HTTP client behaves; the defaults suit real registries over laptop networks. */
export interface HttpClientOptions {
  readonly userAgent: string;
  /** Extra attempts after the first for connection errors, 429 and 5xx (not 501). */
  readonly retries?: number;
  readonly retryBaseDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  readonly connectTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  /** Longest silence while a body streams; a whole download may take as long as it needs. */
  readonly bodyTimeoutMs?: number;
  /**
   * Longest silence while a small document (JSON, SHA256SUMS, a signature) streams before the attempt counts as
   * failed and is retried; far below bodyTimeoutMs because these bodies are a few kilobytes.
   */
  readonly smallBodyStallMs?: number;
  readonly dispatcher?: Dispatcher;
}

/** A small document read whole within one attempt: the final response's status, headers and URL, and its body. */
export interface SmallDocument {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** The URL after redirects. */
  readonly url: string;
  /** The body for a status in readStatuses (200 by default); empty for any other (its body is not read). */
  readonly bytes: Uint8Array;
}

/** Options of getDocument. */
export interface SmallDocumentOptions {
  /** Refuses (without retrying) a body larger than this. */
  readonly maxBytes: number;
  /** Statuses whose body is read; others come back with empty bytes. Defaults to 200 only. */
  readonly readStatuses?: readonly number[];
  /**
   * Runs on a response whose body is about to be read, before it is; throwing (a LarderError) refuses it
   * without a retry, e.g. for a wrong Content-Type.
   */
  readonly beforeBody?: (response: Response) => void;
  /**
   * Transient statuses handed back at once instead of retried, for a caller that runs its own bounded wait on
   * them (the catalog sources wait out 429 Retry-After with an injectable sleep).
   */
  readonly passStatuses?: readonly number[];
}

/** A body that failed part-way within one attempt; the reason reads "the connection closed after 120 of 512 bytes". */
class BodyFailure extends Error {}

/** What a request is for, so every error names the package and the step. */
export interface RequestContext {
  readonly what: string;
  readonly accept?: string;
  readonly signal?: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Statuses worth retrying: rate limits and server failures (501 Not Implemented will not pass). */
export const isTransientStatus = (status: number): boolean =>
  status === 429 || (status >= 500 && status !== 501);

/**
 * GET requests to upstream registries through undici: proxy settings from HTTPS_PROXY/HTTP_PROXY/NO_PROXY,
 * timeouts, redirects, and retries with exponential backoff and jitter for failures that may pass.
 */
export class UpstreamHttpClient {
  private readonly dispatcher: Dispatcher;
  /** Extra attempts after the first; resumable downloads use the same budget for their Range requests. */
  readonly retries: number;
  private readonly baseDelay: number;
  private readonly maxDelay: number;
  private readonly smallBodyStall: number;

  constructor(private readonly options: HttpClientOptions) {
    this.dispatcher =
      options.dispatcher ??
      new EnvHttpProxyAgent({
        connectTimeout: options.connectTimeoutMs ?? 10_000,
        headersTimeout: options.headersTimeoutMs ?? 30_000,
        bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      });
    this.retries = options.retries ?? 3;
    this.baseDelay = options.retryBaseDelayMs ?? 500;
    this.maxDelay = options.maxRetryDelayMs ?? 30_000;
    this.smallBodyStall = options.smallBodyStallMs ?? 15_000;
  }

  /**
   * GETs a URL, retrying transient failures. Returns the final response whatever its status (404 is an answer,
   * not an error); throws a LarderError when the host cannot be reached or keeps failing.
   */
  async get(url: string, context: RequestContext): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.getOnce(url, context);
      } catch (error) {
        if (context.signal?.aborted) throw error;
        if (attempt < this.retries) {
          await this.pauseBeforeRetry(attempt, context.signal);
          continue;
        }
        throw unreachable(url, context.what, error, attempt + 1);
      }
      if (isTransientStatus(response.status) && attempt < this.retries) {
        await response.body?.cancel();
        await this.pauseBeforeRetry(attempt, context.signal, response);
        continue;
      }
      return response;
    }
  }

  /**
   * One GET without retries: the response whatever its status, or the raw network error (undici's, or the
   * signal's reason). For callers that run their own retry loop, such as resumable downloads.
   */
  getOnce(url: string, context: RequestContext): Promise<Response> {
    return fetch(url, {
      dispatcher: this.dispatcher,
      redirect: "follow",
      signal: context.signal ?? null,
      headers: {
        "user-agent": this.options.userAgent,
        accept: context.accept ?? "*/*",
        ...context.headers,
      },
    });
  }

  /**
   * One HEAD without retries (redirects followed with HEAD, as GitHub release assets need): the response whatever
   * its status, or the raw network error. Only the size estimates use it, and they ask again rather than retry.
   */
  headOnce(url: string, context: RequestContext): Promise<Response> {
    return fetch(url, {
      method: "HEAD",
      dispatcher: this.dispatcher,
      redirect: "follow",
      signal: context.signal ?? null,
      headers: { "user-agent": this.options.userAgent, accept: "*/*", ...context.headers },
    });
  }

  /**
   * Waits before retry number `attempt` (0 for the first retry): exponential backoff with jitter, or the
   * response's Retry-After when it has one. Rejects at once when the signal aborts.
   */
  async pauseBeforeRetry(attempt: number, signal?: AbortSignal, response?: Response): Promise<void> {
    const delay = response ? this.retryDelay(response, attempt) : this.backoff(attempt);
    await sleep(delay, undefined, { signal });
  }

  /**
   * GETs a small document with headers and body as one attempt: a failure before the headers, a transient
   * status, and a body that is reset, cut short of its Content-Length or stalls for smallBodyStallMs are all
   * retried with the same backoff and budget. A body over maxBytes is refused at once.
   */
  async getDocument(
    url: string,
    context: RequestContext,
    options: SmallDocumentOptions,
  ): Promise<SmallDocument> {
    const readStatuses = options.readStatuses ?? [200];
    for (let attempt = 0; ; attempt++) {
      const retryable = attempt < this.retries;
      let response: Response;
      try {
        response = await this.getOnce(url, context);
      } catch (error) {
        if (context.signal?.aborted) throw error;
        if (retryable) {
          await this.pauseBeforeRetry(attempt, context.signal);
          continue;
        }
        throw unreachable(url, context.what, error, attempt + 1);
      }
      if (
        isTransientStatus(response.status) &&
        retryable &&
        !options.passStatuses?.includes(response.status)
      ) {
        await response.body?.cancel();
        await this.pauseBeforeRetry(attempt, context.signal, response);
        continue;
      }
      const document = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        url: response.url || url,
      };
      if (!readStatuses.includes(response.status)) {
        await response.body?.cancel();
        return { ...document, bytes: new Uint8Array(0) };
      }
      try {
        options.beforeBody?.(response);
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
      try {
        return { ...document, bytes: await this.readSmallBody(response, url, context, options.maxBytes) };
      } catch (error) {
        if (!(error instanceof BodyFailure) || context.signal?.aborted) throw error;
        if (retryable) {
          await this.pauseBeforeRetry(attempt, context.signal);
          continue;
        }
        const tries = attempt > 0 ? `, ${attempt + 1} attempts` : "";
        throw new LarderError(
          "upstream_unreachable",
          `Could not fetch ${context.what} from ${url}: ${error.message}${tries}. Check the network, proxy settings or the --upstream URL.`,
          { cause: error.cause },
        );
      }
    }
  }

  /** GETs a JSON document; undefined on 404, a LarderError on any other non-200 or on invalid JSON. */
  async getJson(
    url: string,
    context: RequestContext,
  ): Promise<{ readonly json: unknown; readonly url: string } | undefined> {
    const document = await this.getDocument(
      url,
      { ...context, accept: "application/json" },
      { maxBytes: 4 * 1024 * 1024 },
    );
    if (document.status === 404) return undefined;
    expectOk(document, url, context.what);
    try {
      return { json: JSON.parse(Buffer.from(document.bytes).toString("utf8")) as unknown, url: document.url };
    } catch {
      throw new LarderError(
        "upstream_error",
        `Fetching ${context.what} from ${url}: the response is not valid JSON.`,
      );
    }
  }

  /** GETs a small file (checksums, signatures) fully into memory, refusing more than maxBytes. */
  async getBytes(url: string, context: RequestContext, maxBytes: number): Promise<Uint8Array> {
    const document = await this.getDocument(url, context, { maxBytes });
    expectOk(document, url, context.what);
    return document.bytes;
  }

  /**
   * Reads a whole small body. Throws a LarderError for one over maxBytes (a retry would not shrink it), a
   * BodyFailure for one that breaks off (worth a retry), and the signal's reason when it aborts.
   */
  private async readSmallBody(
    response: Response,
    url: string,
    context: RequestContext,
    maxBytes: number,
  ): Promise<Uint8Array> {
    const tooLarge = (): LarderError =>
      new LarderError(
        "upstream_error",
        `Fetching ${context.what} from ${url}: the response is larger than ${maxBytes} bytes.`,
      );
    const header = response.headers.get("content-length");
    const declared = header === null ? undefined : Number(header);
    if (declared !== undefined && declared > maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    // Content-Length counts the encoded bytes; fetch hands over decoded ones, so only identity bodies compare.
    const encoded = (response.headers.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
    const expected =
      encoded || declared === undefined || !Number.isSafeInteger(declared) ? undefined : declared;
    const of = (size: number): string => (expected === undefined ? `${size}` : `${size} of ${expected}`);
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array> | "stalled";
      try {
        chunk = await withStallBound(reader.read(), this.smallBodyStall);
      } catch (error) {
        if (context.signal?.aborted) throw error;
        throw new BodyFailure(`${brokenOff(error)} after ${of(size)} bytes`, { cause: error });
      }
      if (chunk === "stalled") {
        await reader.cancel().catch(() => undefined);
        throw new BodyFailure(
          `the transfer stalled after ${of(size)} bytes (nothing for ${this.smallBodyStall} ms)`,
        );
      }
      if (chunk.done) break;
      size += chunk.value.length;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
    if (expected !== undefined && size < expected) {
      throw new BodyFailure(`the connection closed after ${of(size)} bytes`);
    }
    return Buffer.concat(chunks);
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.maxDelay, this.baseDelay * 2 ** attempt);
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  private retryDelay(response: Response, attempt: number): number {
    const header = response.headers.get("retry-after");
    if (header !== null) {
      const seconds = Number(header);
      const delay = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
      if (Number.isFinite(delay) && delay >= 0) return Math.min(delay, this.maxDelay);
    }
    return this.backoff(attempt);
  }
}

/** Throws a clear error for a non-200 response (a Response, or a SmallDocument's status). */
export function expectOk(response: Pick<Response, "status" | "statusText">, url: string, what: string): void {
  if (response.status === 200) return;
  const hint =
    response.status === 401 || response.status === 403
      ? " The registry requires credentials or rejected them."
      : response.status === 429 || response.status >= 500
        ? " The registry is failing or rate-limiting; try again later."
        : "";
  throw new LarderError(
    "upstream_error",
    `Fetching ${what} from ${url} failed: HTTP ${response.status} ${response.statusText}.${hint}`,
  );
}

/** Resolves with the read, or "stalled" when it takes longer than `ms`. */
async function withStallBound<T>(read: Promise<T>, ms: number): Promise<T | "stalled"> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<"stalled">((resolve) => {
    timer = setTimeout(() => {
      resolve("stalled");
    }, ms);
  });
  try {
    return await Promise.race([read, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** How a body broke off, in words: reset by the peer, or closed early. */
function brokenOff(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && "code" in cause ? String(cause.code) : "";
  if (code === "ECONNRESET") return "the connection was reset";
  if (code === "UND_ERR_BODY_TIMEOUT") return "the transfer stalled";
  return "the connection closed";
}

/** Names the network failure (refused, timed out, reset, DNS) in words a person can act on. */
export function unreachable(url: string, what: string, error: unknown, attempts: number): LarderError {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && "code" in cause ? String(cause.code) : "";
  const reason =
    {
      ECONNREFUSED: "the connection was refused",
      ENOTFOUND: "the host name does not resolve",
      EAI_AGAIN: "the host name could not be resolved (DNS)",
      ECONNRESET: "the connection was reset",
      UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
      UND_ERR_HEADERS_TIMEOUT: "the server did not answer in time",
      UND_ERR_BODY_TIMEOUT: "the transfer stalled",
      UND_ERR_SOCKET: "the connection closed before the transfer finished",
    }[code] ?? (cause instanceof Error ? cause.message : String(cause));
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new LarderError(
    "upstream_unreachable",
    `Could not fetch ${what} from ${url}${tries}: ${reason}. Check the network, proxy settings or the --upstream URL.`,
    { cause: error },
  );
}
