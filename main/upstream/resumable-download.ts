import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Response } from "undici";
import { LarderError } from "../core/errors.js";
import { storageError } from "../store/blob-store.js";
import { ensureFreeSpace, type StatfsFunction } from "../store/disk-space.js";
import { expectOk, isTransientStatus, unreachable, type UpstreamHttpClient } from "./http-client.js";
import {
  exclusive,
  parseContentRange,
  parseLength,
  readValidators,
  type Validators,
} from "./partial-file.js";
import { withPartialLock } from "./partial-lock.js";

/** What to download and where its partial bytes live. */
export interface ResumableDownloadOptions {
  readonly http: UpstreamHttpClient;
  readonly url: string;
  /**
   * The partial file, named by the caller (e.g. `tmp/<sha256 of the URL>.part`); its validators live next to it
   * in `<partialPath>.json`. Both survive failures so a later call resumes.
   */
  readonly partialPath: string;
  /** Names the download in mid-sentence: "the archive of provider …". */
  readonly what: string;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Bytes on disk (the resumed prefix included) and the whole file's size when known. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number | undefined) => void;
  /** Where the complete file is moved before the partial is released; defaults to `partialPath` itself. */
  readonly completePath?: string;
  /** Injected free-space probe (tests); defaults to fs.statfs. */
  readonly statfs?: StatfsFunction;
}

/** A complete download, hashed over all its bytes while they were written (and re-read when resumed). */
export interface DownloadedFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** What a new attempt starts from: the bytes already on disk, their hash, and the validator for If-Range. */
interface ResumePoint {
  readonly offset: number;
  readonly hash: Hash;
  readonly validators: Validators | undefined;
}

/**
 * Streams a URL into a partial file, resuming it with `Range: bytes=N-` and `If-Range` when it already holds N
 * bytes and validators saved from an earlier response. A `206` from N appends; a `200` (Range ignored or the file
 * changed) or a `416` starts over. Connection errors, truncated bodies, 429 and 5xx are retried with the HTTP
 * client's retry count and backoff, each retry a new Range request from the bytes on disk; when retries run out
 * the partial file is kept for the next call. Concurrent calls for the same partial file run one after another,
 * in this process and (through `<partial>.lock`) across processes.
 */
export function downloadResumable(options: ResumableDownloadOptions): Promise<DownloadedFile> {
  return exclusive(
    options.partialPath,
    () =>
      withPartialLock(
        `${options.partialPath}.lock`,
        () => new ResumableTransfer(options).run(),
        options.signal,
      ),
    options.signal,
  );
}

class ResumableTransfer {
  private failures = 0;
  /** The hash of the partial file's first `size` bytes as written in this call, so a retry need not re-read them. */
  private written: { readonly hash: Hash; readonly size: number } | undefined;
  private readonly sidecarPath: string;
  private readonly maxBytes: number;

  constructor(private readonly options: ResumableDownloadOptions) {
    this.sidecarPath = `${options.partialPath}.json`;
    this.maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  }

  async run(): Promise<DownloadedFile> {
    for (;;) {
      this.options.signal?.throwIfAborted();
      const resume = await this.resumePoint();
      const response = await this.request(resume);
      if (!response) continue;
      const done = await this.receive(response, resume);
      if (done) return this.finish(done);
    }
  }

  /** Works out where to resume, discarding a partial file that cannot be resumed safely. */
  private async resumePoint(): Promise<ResumePoint> {
    const { partialPath, url, signal } = this.options;
    const size = await stat(partialPath).then(
      (info) => info.size,
      () => 0,
    );
    const validators = size > 0 ? await readValidators(this.sidecarPath) : undefined;
    const usable =
      validators !== undefined &&
      validators.url === url &&
      (validators.total === undefined || size < validators.total);
    if (!usable) {
      if (size > 0) await this.discardPartial();
      return { offset: 0, hash: createHash("sha256"), validators: undefined };
    }
    const written = this.written;
    if (written && written.size <= size) {
      // A write that failed halfway may have left bytes beyond those hashed; they are written again.
      if (written.size < size)
        await this.fs(truncate(partialPath, written.size), "trim the partial download");
      return { offset: written.size, hash: written.hash.copy(), validators };
    }
    // Resuming a partial file from an earlier run: the sha256 must cover its bytes too.
    const hash = createHash("sha256");
    for await (const chunk of createReadStream(partialPath, { end: size - 1, signal })) {
      hash.update(chunk as Buffer);
    }
    this.written = { hash: hash.copy(), size };
    return { offset: size, hash, validators };
  }

  /** Sends one (Range) request; undefined when it failed in a way worth retrying after the pause. */
  private async request(resume: ResumePoint): Promise<Response | undefined> {
    const { http, url, what, signal } = this.options;
    const validator = resume.validators?.etag ?? resume.validators?.lastModified;
    const headers: Record<string, string> =
      resume.offset > 0 && validator !== undefined
        ? { range: `bytes=${resume.offset}-`, "if-range": validator }
        : {};
    let response: Response;
    try {
      response = await http.getOnce(url, { what, signal, headers });
    } catch (error) {
      if (await this.mayRetry()) return undefined;
      throw this.gaveUp(unreachable(url, what, error, this.failures + 1), resume.offset);
    }
    if (isTransientStatus(response.status)) {
      if (await this.mayRetry(response)) return undefined;
    }
    return response;
  }

  /**
   * Streams one response into the partial file. Returns the hash and size when the file is complete, undefined
   * when the transfer broke and a retry may continue it.
   */
  private async receive(
    response: Response,
    resume: ResumePoint,
  ): Promise<{ hash: Hash; size: number; total: number | undefined } | undefined> {
    const { url, what, partialPath, onProgress, signal } = this.options;
    const plan = await this.plan(response, resume);
    if (!plan) return undefined;
    const { start, total } = plan;
    const hash = start === 0 ? createHash("sha256") : resume.hash;
    if (start === 0) {
      // Start over: drop the old validators before the old bytes, then save the new ones before any new byte.
      this.written = undefined;
      await this.fs(rm(this.sidecarPath, { force: true }), "reset the partial download");
    }
    const handle = await this.fs(open(partialPath, start === 0 ? "w" : "r+"), "open the partial download");
    let position = start;
    let broken: { readonly error: unknown } | undefined;
    try {
      if (start === 0) await this.saveValidators(response, total);
      onProgress?.(position, total);
      const reader = (response.body as WebReadableStream<Uint8Array> | null)?.getReader();
      for (;;) {
        let chunk: Uint8Array;
        try {
          const next = await reader?.read();
          if (!next || next.done) break;
          chunk = next.value;
        } catch (error) {
          broken = { error };
          break;
        }
        if (position + chunk.length > this.maxBytes) {
          await reader?.cancel();
          throw this.tooLarge();
        }
        await this.fs(handle.write(chunk, 0, chunk.length, position), `write ${what}`, async () => {
          await reader?.cancel();
        });
        hash.update(chunk);
        position += chunk.length;
        this.written = { hash, size: position };
        onProgress?.(position, total);
      }
      if (broken === undefined) await this.fs(handle.sync(), `write ${what}`);
    } catch (error) {
      // Over the size limit: the bytes are useless. Any other failure (a full disk) keeps them for later.
      if (error instanceof LarderError && error.code === "verification_failed") {
        await handle.close().catch(() => undefined);
        await this.discardPartial();
      }
      throw error;
    } finally {
      await handle.close().catch(() => undefined);
    }
    if (broken !== undefined) {
      // Aborted: stop at once and keep the partial file; the signal's reason is the error.
      signal?.throwIfAborted();
      if (await this.mayRetry()) return undefined;
      throw this.gaveUp(unreachable(url, what, broken.error, this.failures + 1), position);
    }
    if (total !== undefined && position > total) {
      await this.discardPartial();
      throw new LarderError(
        "upstream_error",
        `Fetching ${what} from ${url}: the server sent ${position} bytes but declared ${total}.`,
      );
    }
    if (total !== undefined && position < total) {
      const short = new LarderError(
        "upstream_unreachable",
        `Could not fetch ${what} from ${url}${this.failures > 0 ? ` after ${this.failures + 1} attempts` : ""}: the transfer ended after ${position} of ${total} bytes. Check the network, proxy settings or the --upstream URL.`,
      );
      if (await this.mayRetry()) return undefined;
      throw this.gaveUp(short, position);
    }
    return { hash, size: position, total };
  }

  /** Decides what a response means for the partial file: append from N, start over, or retry. */
  private async plan(
    response: Response,
    resume: ResumePoint,
  ): Promise<{ start: number; total: number | undefined } | undefined> {
    const { url, what, partialPath, statfs } = this.options;
    let start = 0;
    let total: number | undefined;
    if (resume.offset > 0 && response.status === 416) {
      // The server cannot serve from N (the file shrank or changed): start over.
      await response.body?.cancel();
      await this.discardPartial();
      return undefined;
    }
    if (resume.offset > 0 && response.status === 206) {
      const range = parseContentRange(response.headers.get("content-range"));
      const expectedTotal = resume.validators?.total;
      if (
        !range ||
        range.start !== resume.offset ||
        (expectedTotal !== undefined && range.total !== expectedTotal)
      ) {
        await response.body?.cancel();
        await this.discardPartial();
        return undefined;
      }
      start = resume.offset;
      total = range.total ?? expectedTotal;
    } else {
      if (response.status !== 200) await response.body?.cancel();
      expectOk(response, url, what);
      total = parseLength(response.headers.get("content-length"));
    }
    try {
      if (total !== undefined && total > this.maxBytes) throw this.tooLarge(total);
      if (total !== undefined) {
        // Starting over frees the old bytes; resuming needs only the rest.
        await ensureFreeSpace(dirname(partialPath), total - resume.offset, `Downloading ${what}`, statfs);
      }
    } catch (error) {
      await response.body?.cancel();
      if (error instanceof LarderError && error.code === "verification_failed") await this.discardPartial();
      throw error;
    }
    return { start, total };
  }

  /** Counts a failed attempt and waits; false (without waiting) when the retries are used up. */
  private async mayRetry(response?: Response): Promise<boolean> {
    const { http, signal } = this.options;
    signal?.throwIfAborted();
    if (this.failures >= http.retries) return false;
    if (response) await response.body?.cancel();
    await http.pauseBeforeRetry(this.failures, signal, response);
    this.failures += 1;
    return true;
  }

  /** The final transport error, saying that the bytes received are kept for the next run. */
  private gaveUp(error: LarderError, received: number): LarderError {
    if (received === 0) return error;
    return new LarderError(
      error.code,
      `${error.message} The ${received} bytes received are kept; trying again resumes from there.`,
      { cause: error.cause },
    );
  }

  private tooLarge(total?: number): LarderError {
    const size = total === undefined ? "larger than" : `${total} bytes, over`;
    return new LarderError(
      "verification_failed",
      `Refusing ${this.options.what} from ${this.options.url}: it is ${size} the ${this.maxBytes}-byte limit.`,
    );
  }

  /** Writes `<partial>.json` atomically; without a usable validator there is nothing to resume with. */
  private async saveValidators(response: Response, total: number | undefined): Promise<void> {
    const etag = response.headers.get("etag");
    const lastModified = response.headers.get("last-modified");
    // If-Range needs a strong validator: a weak ETag (W/"…") cannot be used.
    const strong = etag !== null && !etag.startsWith("W/") ? etag : undefined;
    if (strong === undefined && lastModified === null) return;
    const validators: Validators = {
      url: this.options.url,
      ...(strong === undefined ? {} : { etag: strong }),
      ...(lastModified === null ? {} : { lastModified }),
      ...(total === undefined ? {} : { total }),
    };
    const temp = `${this.sidecarPath}.new`;
    await this.fs(writeFile(temp, JSON.stringify(validators)), "save the download's validators");
    await this.fs(rename(temp, this.sidecarPath), "save the download's validators");
  }

  /** Moves the complete file into place and forgets its validators. */
  private async finish(done: { hash: Hash; size: number }): Promise<DownloadedFile> {
    const { partialPath, completePath } = this.options;
    const path = completePath ?? partialPath;
    if (completePath !== undefined) await this.fs(rename(partialPath, completePath), "move the download");
    await rm(this.sidecarPath, { force: true });
    return { path, sha256: done.hash.digest("hex"), size: done.size };
  }

  private async discardPartial(): Promise<void> {
    this.written = undefined;
    await rm(this.options.partialPath, { force: true });
    await rm(this.sidecarPath, { force: true });
  }

  /** Runs a file-system step, turning its failure into a storage error (a full disk says so). */
  private async fs<T>(step: Promise<T>, action: string, onError?: () => Promise<unknown>): Promise<T> {
    try {
      return await step;
    } catch (error) {
      await onError?.().catch(() => undefined);
      throw storageError(error, action);
    }
  }
}
