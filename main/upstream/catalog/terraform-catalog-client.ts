import { z } from "zod";
import { latestCatalogVersion, newestFirst, type CatalogEntry } from "../../core/catalog.js";
import type { UpstreamHttpClient } from "../http-client.js";
import { decodeEach, decodeOrThrow, isSemver, notSemver } from "../lenient-json.js";
import {
  CatalogFetcher,
  type CatalogListOptions,
  type CatalogPage,
  type CatalogSourceOptions,
} from "./catalog-fetch.js";
import { decodePage, walkPages, type DecodedPage } from "./catalog-paging.js";

// registry.terraform.io's catalog extensions (terraform-protocols.md §7, §7.1). Schemas see answers with null
// members dropped, so `.optional()` also accepts null; a wrongly typed optional member is dropped, not fatal.

const host = "registry.terraform.io";
const optionalText = z.string().optional().catch(undefined);
const optionalCount = z.number().nonnegative().optional().catch(undefined);

const providerSchema = z.object({
  attributes: z.object({
    namespace: z.string().min(1),
    name: z.string().min(1),
    description: optionalText,
    downloads: optionalCount,
    tier: optionalText,
    source: optionalText,
    unlisted: z.boolean().optional().catch(undefined),
  }),
});

const providerPageSchema = z.object({
  data: z.array(z.unknown()),
  meta: z
    .object({
      pagination: z
        .object({ "next-page": z.number().optional(), "total-pages": z.number().optional() })
        .optional(),
    })
    .optional()
    .catch(undefined),
});

const providerVersionSchema = z.object({
  attributes: z.object({ version: z.string().refine(isSemver, notSemver), "published-at": optionalText }),
});

const providerDetailSchema = z.object({ data: providerSchema, included: z.array(z.unknown()).optional() });

const moduleSchema = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  provider: z.string().min(1),
  version: optionalText,
  description: optionalText,
  source: optionalText,
  downloads: optionalCount,
  verified: z.boolean().optional().catch(undefined),
});

const modulePageSchema = z.object({
  meta: z
    .object({ limit: z.number().optional(), next_offset: z.number().optional() })
    .optional()
    .catch(undefined),
  modules: z.array(z.unknown()),
});

type ProviderResource = z.infer<typeof providerSchema>;

function providerEntry({ attributes: a }: ProviderResource): CatalogEntry {
  return {
    host,
    kind: "provider",
    namespace: a.namespace,
    name: a.name,
    system: null,
    description: a.description ?? "",
    tier: a.tier ?? null,
    verified: false,
    popularity: a.downloads ?? 0,
    source: a.source ?? null,
    latestVersion: null,
    versions: null,
  };
}

function moduleEntry(m: z.infer<typeof moduleSchema>): CatalogEntry {
  return {
    host,
    kind: "module",
    namespace: m.namespace,
    name: m.name,
    system: m.provider,
    description: m.description ?? "",
    tier: null,
    verified: m.verified ?? false,
    popularity: m.downloads ?? 0,
    source: m.source ?? null,
    latestVersion: m.version !== undefined && isSemver(m.version) ? m.version : null,
    versions: null,
  };
}

/** Options of a paged listing. */
export interface TerraformPageOptions extends CatalogListOptions {
  /** Entries per page; the registry caps it (100 for providers). */
  readonly pageSize?: number;
}

/** Reads registry.terraform.io's catalog: provider pages, provider versions with dates, module lists and search. */
export class TerraformCatalogClient {
  private readonly fetcher: CatalogFetcher;

  constructor(http: UpstreamHttpClient, options: CatalogSourceOptions) {
    this.fetcher = new CatalogFetcher(http, host, options);
  }

  /** `GET /v2/providers` page by page (cursor: the page number, from 1); unlisted providers are left out. */
  providers(
    options: TerraformPageOptions & { readonly namespace?: string; readonly tiers?: readonly string[] } = {},
  ): AsyncGenerator<CatalogPage> {
    const size = options.pageSize ?? 100;
    let totalPages: number | undefined;
    return walkPages(
      this.fetcher,
      {
        first: 1,
        name: "the provider list",
        url: (cursor) => {
          const query = new URLSearchParams({ "page[size]": String(size), "page[number]": String(cursor) });
          if (options.namespace !== undefined) query.set("filter[namespace]", options.namespace);
          if (options.tiers !== undefined) query.set("filter[tier]", options.tiers.join(","));
          return `${this.fetcher.baseUrl()}/v2/providers?${query.toString()}`;
        },
        decode: (json) => {
          const page = decodePage(providerPageSchema, json);
          if (!page.ok) return page;
          const pagination = page.value.meta?.pagination;
          totalPages = pagination?.["total-pages"] ?? totalPages;
          const entries = this.each(providerSchema, page.value.data, "data", "the provider list")
            .filter((resource) => resource.attributes.unlisted !== true)
            .map(providerEntry);
          return { ok: true, entries, next: pagination?.["next-page"] ?? null };
        },
        skip: (cursor) => (totalPages !== undefined && cursor >= totalPages ? null : cursor + 1),
      },
      options,
    );
  }

  /**
   * One provider with every version and its date (`GET /v2/providers/:ns/:type?include=provider-versions`, the
   * only place with dates); undefined when the registry does not know it.
   */
  async provider(namespace: string, type: string, signal?: AbortSignal): Promise<CatalogEntry | undefined> {
    const path = `${encodeURIComponent(namespace)}/${encodeURIComponent(type)}`;
    const url = `${this.fetcher.baseUrl()}/v2/providers/${path}?include=provider-versions`;
    const what = `the versions of ${namespace}/${type} on ${host}`;
    const fetched = await this.fetcher.fetch(url, what, { signal, allowNotFound: true });
    if (fetched.kind === "not-found") return undefined;
    const json = fetched.kind === "json" ? fetched.json : undefined;
    const detail = decodeOrThrow(providerDetailSchema, json, what);
    const included = (detail.included ?? []).filter((item) => isType(item, "provider-versions"));
    const versions = this.each(providerVersionSchema, included, "included", what).map(({ attributes }) => ({
      version: attributes.version,
      publishedAt: attributes["published-at"] ?? null,
    }));
    const ordered = newestFirst(versions);
    return { ...providerEntry(detail.data), latestVersion: latestCatalogVersion(ordered), versions: ordered };
  }

  /** `GET /v1/modules` page by page (cursor: the offset, from 0). */
  modules(options: TerraformPageOptions = {}): AsyncGenerator<CatalogPage> {
    return this.modulePages("/v1/modules", "the module list", new URLSearchParams(), options);
  }

  /** `GET /v1/modules/search?q=` page by page (cursor: the offset, from 0). */
  searchModules(query: string, options: TerraformPageOptions = {}): AsyncGenerator<CatalogPage> {
    const name = `the module search for "${query}"`;
    return this.modulePages("/v1/modules/search", name, new URLSearchParams({ q: query }), options);
  }

  private modulePages(
    path: string,
    name: string,
    base: URLSearchParams,
    options: TerraformPageOptions,
  ): AsyncGenerator<CatalogPage> {
    let limit = options.pageSize ?? 100;
    return walkPages(
      this.fetcher,
      {
        first: 0,
        name,
        url: (cursor) => {
          const query = new URLSearchParams(base);
          query.set("limit", String(options.pageSize ?? 100));
          query.set("offset", String(cursor));
          return `${this.fetcher.baseUrl()}${path}?${query.toString()}`;
        },
        decode: (json): DecodedPage => {
          const page = decodePage(modulePageSchema, json);
          if (!page.ok) return page;
          // The registry caps `limit`; the answer says what it used, which is the step past a broken page.
          limit = page.value.meta?.limit ?? limit;
          const entries = this.each(moduleSchema, page.value.modules, "modules", name).map(moduleEntry);
          return { ok: true, entries, next: page.value.meta?.next_offset ?? null };
        },
        skip: (cursor) => cursor + limit,
      },
      options,
    );
  }

  /** Decodes each entry, warning about (and skipping) the ones that cannot be read. */
  private each<T>(schema: z.ZodType<T>, entries: readonly unknown[], prefix: string, what: string): T[] {
    return decodeEach(schema, entries, prefix, (detail) => {
      this.fetcher.warn(`Catalog ${host}: skipped an unreadable entry in ${what} (${detail}).`);
    });
  }
}

/** True for a JSON:API resource object of TYPE. */
function isType(item: unknown, type: string): boolean {
  return typeof item === "object" && item !== null && "type" in item && item.type === type;
}
