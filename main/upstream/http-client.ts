import { Readable } from "node:stream";
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
  readonly dispatcher?: Dispatcher;
}

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
   * Waits before retry number `attempt` (0 for the first retry): exponential backoff with jitter, or the
   * response's Retry-After when it has one. Rejects at once when the signal aborts.
   */
  async pauseBeforeRetry(attempt: number, signal?: AbortSignal, response?: Response): Promise<void> {
    const delay = response ? this.retryDelay(response, attempt) : this.backoff(attempt);
    await sleep(delay, undefined, { signal });
  }

  /** GETs a JSON document; undefined on 404, a LarderError on any other non-200 or on invalid JSON. */
  async getJson(
    url: string,
    context: RequestContext,
  ): Promise<{ readonly json: unknown; readonly url: string } | undefined> {
    const response = await this.get(url, { ...context, accept: "application/json" });
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    expectOk(response, url, context.what);
    const text = await readText(response, url, context.what, 4 * 1024 * 1024);
    try {
      return { json: JSON.parse(text) as unknown, url: response.url || url };
    } catch {
      throw new LarderError(
        "upstream_error",
        `Fetching ${context.what} from ${url}: the response is not valid JSON.`,
      );
    }
  }

  /** GETs a small file (checksums, signatures) fully into memory, refusing more than maxBytes. */
  async getBytes(url: string, context: RequestContext, maxBytes: number): Promise<Uint8Array> {
    const response = await this.get(url, context);
    expectOk(response, url, context.what);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const body: AsyncIterable<Uint8Array> = response.body ?? Readable.from([]);
    try {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > maxBytes) {
          await response.body?.cancel();
          throw new LarderError(
            "upstream_error",
            `Fetching ${context.what} from ${url}: larger than ${maxBytes} bytes.`,
          );
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof LarderError ? error : unreachable(url, context.what, error, 1);
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

/** Throws a clear error for a non-200 response. */
export function expectOk(response: Response, url: string, what: string): void {
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

async function readText(response: Response, url: string, what: string, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new LarderError(
      "upstream_error",
      `Fetching ${what} from ${url}: the response is larger than ${maxBytes} bytes.`,
    );
  }
  try {
    return await response.text();
  } catch (error) {
    throw unreachable(url, what, error, 1);
  }
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
