import type { CatalogKind } from "../../core/catalog.js";
import { errorMessage } from "../../core/errors.js";
import type { CatalogRepository, CatalogSourceState } from "../../db/catalog-repository.js";
import type { CatalogListOptions } from "../../upstream/catalog/catalog-fetch.js";
import type { CatalogSource } from "./catalog-sources.js";

/** Progress of one source: after each stored page, and once when the source is done (page null). */
export interface CatalogRefreshProgress {
  readonly registry: string;
  readonly kind: CatalogKind;
  /** Entries stored so far in this run. */
  readonly entries: number;
  /** The cursor of the page just stored (a page number or an offset); null on the final report. */
  readonly page: number | null;
  readonly done: boolean;
}

/** How one source's refresh ended. */
export interface CatalogSourceReport {
  readonly registry: string;
  readonly kind: CatalogKind;
  /** Entries stored by this run (a resumed run counts only its own pages). */
  readonly entries: number;
  readonly pages: number;
  /** The listing was unchanged since the saved ETag (HTTP 304): nothing was written. */
  readonly notModified: boolean;
  /** Entries dropped because a complete listing no longer had them. */
  readonly removed: number;
  /** The run carried on from the cursor an interrupted one saved. */
  readonly resumed: boolean;
  /** Why the source failed (also saved as its last_error), else null. */
  readonly error: string | null;
}

export interface SourceRefreshContext {
  readonly repository: CatalogRepository;
  readonly now: () => Date;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((progress: CatalogRefreshProgress) => void) | undefined;
}

/**
 * The saved cursor: the next page's cursor, with " gap" when the run skipped an unreadable page before it (so the
 * resumed run knows the listing is incomplete and must not remove what it did not see).
 */
function formatCursor(next: number, gap: boolean): string {
  return gap ? `${next} gap` : String(next);
}

function parseCursor(text: string | null): { next: number; gap: boolean } | undefined {
  const match = text === null ? null : /^(\d+)( gap)?$/.exec(text);
  return match ? { next: Number(match[1]), gap: match[2] !== undefined } : undefined;
}

/**
 * Refreshes one source: from the saved cursor when the last run stopped part-way, else from the start with the
 * saved ETag. Each page is its own transaction and the cursor is saved after it, so a killed process or an abort
 * loses at most the page in flight. A failure is recorded and reported, not thrown; an abort is rethrown.
 */
export async function refreshCatalogSource(
  context: SourceRefreshContext,
  source: CatalogSource,
): Promise<CatalogSourceReport> {
  const { repository, signal } = context;
  const { registry, kind } = source;
  const saved = repository.sourceState(registry, kind);
  const resume = parseCursor(saved?.cursor ?? null);
  // A resumed run keeps its original start, so the removal at its end spares every page written since then.
  const startedAt = resume && saved?.startedAt ? saved.startedAt : context.now().toISOString();
  let state: CatalogSourceState = {
    host: registry,
    kind,
    startedAt,
    finishedAt: saved?.finishedAt ?? null,
    etag: saved?.etag ?? null,
    cursor: saved?.cursor ?? null,
    lastError: saved?.lastError ?? null,
  };
  repository.saveSourceState(state);
  const report = { registry, kind, entries: 0, pages: 0, notModified: false, removed: 0, resumed: !!resume };
  const progress = (page: number | null, done: boolean): void =>
    context.onProgress?.({ registry, kind, entries: report.entries, page, done });
  const options: CatalogListOptions = {
    ...(resume ? { from: resume.next } : saved?.etag ? { ifNoneMatch: saved.etag } : {}),
    ...(signal ? { signal } : {}),
  };
  let gap = resume?.gap ?? false;
  let expected: number | null = resume?.next ?? source.first;
  let firstEtag: string | null = null;
  try {
    for await (const page of source.list(options)) {
      if (page.kind === "not-modified") {
        const finishedAt = context.now().toISOString();
        repository.saveSourceState({ ...state, finishedAt, etag: page.etag, cursor: null, lastError: null });
        progress(null, true);
        return { ...report, notModified: true, error: null };
      }
      // A cursor other than the one expected means the listing skipped an unreadable page.
      if (page.cursor !== expected) gap = true;
      repository.upsertEntries(page.entries, startedAt);
      if (report.pages === 0) firstEtag = page.etag;
      report.pages += 1;
      report.entries += page.entries.length;
      expected = page.next;
      state = { ...state, cursor: page.next === null ? null : formatCursor(page.next, gap) };
      repository.saveSourceState(state);
      progress(page.cursor, false);
    }
    if (report.pages === 0) throw new Error(`no page of the ${kind} list of ${registry} could be read`);
    // Only a listing seen whole, with no skipped page at its end (expected null) or inside it, says what is gone.
    const complete = expected === null && !gap;
    const removed = complete ? repository.removeMissing(registry, kind, startedAt) : 0;
    // One page read from the start is the whole listing, so its ETag stands for it; other ETags cover a page only.
    const etag = complete && !resume && report.pages === 1 ? firstEtag : null;
    const finishedAt = context.now().toISOString();
    repository.saveSourceState({ ...state, finishedAt, etag, cursor: null, lastError: null });
    progress(null, true);
    return { ...report, removed, error: null };
  } catch (error) {
    if (signal?.aborted) throw error;
    const message = errorMessage(error);
    // The cursor stays, so the next refresh carries on after the last stored page.
    repository.saveSourceState({ ...state, lastError: message });
    progress(null, true);
    return { ...report, error: message };
  }
}
