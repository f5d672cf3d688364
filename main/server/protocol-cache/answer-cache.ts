import { createHash } from "node:crypto";
import { answerHeaderLists, type AnswerHeaderLists } from "./answer-headers.js";

/** One protocol answer, serialized once and sent as is until the mirror changes. */
export interface CachedAnswer {
  readonly status: 200 | 204;
  /** The JSON body ("" for 204). */
  readonly body: Buffer;
  /** Strong validator of the body and headers: the same bytes always give the same tag, in every process. */
  readonly etag: string;
  /** Headers besides Content-Type, ETag and Cache-Control (a module download's X-Terraform-Get). */
  readonly headers: Readonly<Record<string, string>>;
  /** Which package download this answer is, counted in larder_served_packages_total as a hit when served. */
  readonly served?: "provider" | "module";
  /** Every header field it is sent with, built once (see answer-headers.ts). */
  readonly headerLists: AnswerHeaderLists;
}

/** What a route hands to the cache: the answer before its ETag and header lists are derived from it. */
export type AnswerContent = Omit<CachedAnswer, "etag" | "headers" | "headerLists"> & {
  readonly headers?: Record<string, string>;
};

/** Default bound on the bytes kept: a 10,000-version mirror's hot documents fit several times over. */
export const DEFAULT_ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/** What a cached entry costs besides its body: the key, the headers and the Map's own bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * The protocols' metadata answers by request path, kept while the mirror's generation (migration 11) stays the
 * same. Any change to the mirror, by this process or another, moves the generation and the next request finds
 * the cache empty; answers built from an older generation are never stored. Least recently used answers are
 * dropped first once the byte bound is reached, so a mirror of any size costs at most `maxBytes`.
 */
export class AnswerCache {
  private readonly entries = new Map<string, CachedAnswer>();
  private bytes = 0;
  private generation = -1;

  constructor(
    /** Reads the mirror's generation: one SQLite row, asked on every request so changes are seen at once. */
    private readonly currentGeneration: () => number,
    private readonly maxBytes = DEFAULT_ANSWER_CACHE_BYTES,
  ) {}

  /** The generation now, emptying the cache if it moved. Read before building an answer, given to `put`. */
  sync(): number {
    const generation = this.currentGeneration();
    if (generation !== this.generation) {
      this.entries.clear();
      this.bytes = 0;
      this.generation = generation;
    }
    return generation;
  }

  /** The fresh answer for `key`, or undefined. */
  get(key: string): CachedAnswer | undefined {
    this.sync();
    return this.held(key);
  }

  /**
   * The answer for `key` as of the last `sync()`, without reading the generation again: for a caller that syncs
   * once for a batch of requests that had all arrived before that sync (the fast path).
   */
  held(key: string): CachedAnswer | undefined {
    const answer = this.entries.get(key);
    if (answer) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, answer);
    }
    return answer;
  }

  /**
   * Completes the answer (its ETag) and keeps it under `key` if the mirror has not changed since `generation` was
   * read; an undefined key is never kept.
   */
  put(key: string | undefined, generation: number, answer: AnswerContent): CachedAnswer {
    const headers = answer.headers ?? {};
    const etag = strongEtag(answer.body, headers);
    const headerLists = answerHeaderLists(answer.status, etag, headers, answer.body.length);
    const complete: CachedAnswer = { ...answer, headers, etag, headerLists };
    if (key === undefined) return complete;
    const size = sizeOf(key, complete);
    if (generation !== this.generation || size > this.maxBytes) return complete;
    this.delete(key);
    this.entries.set(key, complete);
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(oldest, entry);
    }
    return complete;
  }

  /** Entries and bytes held, for tests and the bench. */
  stats(): { readonly entries: number; readonly bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(key: string): void {
    const existing = this.entries.get(key);
    if (!existing) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, existing);
  }
}

function sizeOf(key: string, answer: CachedAnswer): number {
  let headerBytes = 0;
  for (const [name, value] of Object.entries(answer.headers)) headerBytes += name.length + value.length;
  return answer.body.length + key.length * 2 + headerBytes * 2 + ENTRY_OVERHEAD_BYTES;
}

/** A hash of what the client receives, so a 304 is only ever sent for identical bytes. */
function strongEtag(body: Buffer, headers: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const [name, value] of Object.entries(headers)) hash.update(`${name}:${value}\n`);
  hash.update(body);
  return `"${hash.digest("base64url").slice(0, 32)}"`;
}
