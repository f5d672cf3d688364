import { readFile } from "node:fs/promises";

/** What the sidecar `<partial>.json` remembers about the response a partial file came from. */
export interface Validators {
  readonly url: string;
  /** A strong ETag, sent back as If-Range. */
  readonly etag?: string;
  /** Used for If-Range when there is no strong ETag. */
  readonly lastModified?: string;
  /** The whole file's size, when the server declared it. */
  readonly total?: number;
}

/** Reads a sidecar; undefined when it is missing, unreadable or has no validator to resume with. */
export async function readValidators(path: string): Promise<Validators | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { url, etag, lastModified, total } = record;
  if (typeof url !== "string") return undefined;
  const validators: Validators = {
    url,
    ...(typeof etag === "string" ? { etag } : {}),
    ...(typeof lastModified === "string" ? { lastModified } : {}),
    ...(typeof total === "number" && Number.isSafeInteger(total) && total >= 0 ? { total } : {}),
  };
  return validators.etag === undefined && validators.lastModified === undefined ? undefined : validators;
}

/** `Content-Range: bytes <start>-<end>/<total or *>`; undefined when absent or malformed. */
export function parseContentRange(
  header: string | null,
): { readonly start: number; readonly end: number; readonly total: number | undefined } | undefined {
  const match = header === null ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === "*" ? undefined : Number(match[3]);
  if (end < start || (total !== undefined && end >= total)) return undefined;
  return { start, end, total };
}

/** A Content-Length value; undefined when absent or not a plain non-negative integer. */
export function parseLength(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) ? length : undefined;
}

const busy = new Map<string, Promise<unknown>>();

/**
 * Runs `work` once no other `exclusive` call with the same key is running in this process; an aborted signal
 * stops the wait at once.
 */
export async function exclusive<T>(key: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let current = busy.get(key); current !== undefined; current = busy.get(key)) {
    await settledOrAborted(current, signal);
    signal?.throwIfAborted();
  }
  // No await between the check above and this set, so two waiters cannot both start.
  const running = work();
  busy.set(key, running);
  try {
    return await running;
  } finally {
    if (busy.get(key) === running) busy.delete(key);
  }
}

/** Resolves when `promise` settles or `signal` aborts, whichever comes first. */
async function settledOrAborted(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  const settled = promise.then(
    () => undefined,
    () => undefined,
  );
  if (!signal) return settled;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([settled, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
