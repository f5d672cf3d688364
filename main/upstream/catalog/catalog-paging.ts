import type { z } from "zod";
import type { CatalogEntry } from "../../core/catalog.js";
import { describeIssue, dropNulls } from "../lenient-json.js";
import {
  maxSkippedPages,
  type CatalogFetcher,
  type CatalogListOptions,
  type CatalogPage,
} from "./catalog-fetch.js";

/** A page's entries and the next cursor, or why the page could not be read. */
export type DecodedPage =
  | { readonly ok: true; readonly entries: CatalogEntry[]; readonly next: number | null }
  | { readonly ok: false; readonly detail: string };

/** How one paged list is walked. */
export interface PagedList {
  readonly first: number;
  /** Names the list in messages ("the provider list"). */
  readonly name: string;
  url(cursor: number): string;
  decode(json: unknown): DecodedPage;
  /** Where to go after an unreadable page at CURSOR; null when that page is known to have been the last. */
  skip(cursor: number): number | null;
}

/**
 * Walks a paged list from `options.from`, one page per yield. An unreadable page is reported and skipped so the
 * rest is kept; a run of them ends the walk, since a listing broken from some page on would otherwise never stop.
 */
export async function* walkPages(
  fetcher: CatalogFetcher,
  list: PagedList,
  options: CatalogListOptions,
): AsyncGenerator<CatalogPage> {
  let cursor: number | null = options.from ?? list.first;
  let skipped = 0;
  let ifNoneMatch = options.ifNoneMatch;
  while (cursor !== null) {
    const what = `page ${cursor} of ${list.name} of ${fetcher.apiHost}`;
    const url = list.url(cursor);
    const fetched = await fetcher.fetch(url, what, { ifNoneMatch, signal: options.signal });
    ifNoneMatch = undefined;
    if (fetched.kind === "not-modified") {
      yield { kind: "not-modified", cursor, etag: fetched.etag };
      return;
    }
    const page: DecodedPage =
      fetched.kind === "json"
        ? list.decode(fetched.json)
        : { ok: false, detail: fetched.kind === "malformed" ? fetched.detail : "HTTP 404" };
    if (!page.ok) {
      fetcher.warn(`Catalog ${fetcher.apiHost}: skipped ${what} at ${url} (${page.detail}).`);
      skipped += 1;
      if (skipped >= maxSkippedPages) {
        // Said once, apart from the per-page warnings: the listing ends here incomplete, and a person should know
        // that the entries after these pages were not read (a refresh then removes nothing it did not see).
        fetcher.warn(
          `Catalog ${fetcher.apiHost}: stopped reading ${list.name} after ${maxSkippedPages} unreadable pages in a row (the last at ${url}); the pages before them are kept.`,
        );
        return;
      }
      cursor = list.skip(cursor);
      continue;
    }
    skipped = 0;
    const etag = fetched.kind === "json" ? fetched.etag : null;
    yield { kind: "entries", entries: page.entries, cursor, next: page.next, etag };
    cursor = page.next;
  }
}

/** A document's outer shape (nulls dropped), or why it is not one: a page to skip rather than a failed refresh. */
export function decodePage<T>(
  schema: z.ZodType<T>,
  json: unknown,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly detail: string } {
  const result = schema.safeParse(dropNulls(json));
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, detail: describeIssue(result.error) };
}
