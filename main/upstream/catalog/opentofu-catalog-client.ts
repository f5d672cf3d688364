import { z } from "zod";
import {
  latestCatalogVersion,
  newestFirst,
  stripVersionPrefix,
  type CatalogEntry,
  type CatalogVersion,
} from "../../core/catalog.js";
import type { UpstreamHttpClient } from "../http-client.js";
import { decodeEach, decodeOrThrow, isJsonObject, isSemver, notSemver } from "../lenient-json.js";
import {
  CatalogFetcher,
  type CatalogListOptions,
  type CatalogPage,
  type CatalogSourceOptions,
} from "./catalog-fetch.js";
import { decodePage, walkPages, type DecodedPage } from "./catalog-paging.js";

// api.opentofu.org's registry-ui documents (terraform-protocols.md §7.1) for registry.opentofu.org's addresses.
// Versions carry a `v` prefix, which is stripped before the semver check.

const host = "registry.opentofu.org";
const apiHost = "api.opentofu.org";
const optionalText = z.string().optional().catch(undefined);
const optionalCount = z.number().nonnegative().optional().catch(undefined);
const tofuVersion = z.string().transform(stripVersionPrefix).refine(isSemver, notSemver);

const versionSchema = z.object({ id: tofuVersion, published: optionalText });

const providerSchema = z.object({
  addr: z.object({ namespace: z.string().min(1), name: z.string().min(1) }),
  description: optionalText,
  popularity: optionalCount,
  versions: z.array(z.unknown()).optional(),
  is_blocked: z.boolean().optional().catch(undefined),
});

// Both index shapes: the older `versions[]`, and the newer indexer's `latest_version`/`published_at`.
const moduleSchema = z.object({
  addr: z.object({ namespace: z.string().min(1), name: z.string().min(1), target: z.string().min(1) }),
  description: optionalText,
  popularity: optionalCount,
  versions: z.array(z.unknown()).optional(),
  latest_version: tofuVersion.optional().catch(undefined),
  is_blocked: z.boolean().optional().catch(undefined),
});

const searchRowSchema = z.object({
  type: z.enum(["provider", "module"]),
  version: tofuVersion.optional().catch(undefined),
  description: optionalText,
  popularity: optionalCount,
  link_variables: z.object({
    namespace: z.string().min(1),
    name: z.string().min(1),
    target_system: optionalText,
  }),
});

const providersIndexSchema = z.object({ providers: z.array(z.unknown()) });
const modulesIndexSchema = z.object({ modules: z.array(z.unknown()) });

/** Reads OpenTofu's catalog: the providers and modules indexes (each one page, cursor 0) and search. */
export class OpenTofuCatalogClient {
  private readonly fetcher: CatalogFetcher;

  constructor(http: UpstreamHttpClient, options: CatalogSourceOptions) {
    this.fetcher = new CatalogFetcher(http, apiHost, options);
  }

  /** `GET /registry/docs/providers/index.json`; blocked providers are left out, as OpenTofu's site does. */
  providers(options: CatalogListOptions = {}): AsyncGenerator<CatalogPage> {
    return this.index("providers", "the provider index", options, (json) => {
      const page = decodePage(providersIndexSchema, json);
      if (!page.ok) return page;
      const entries = this.each(providerSchema, page.value.providers, "providers", "the provider index")
        .filter((provider) => provider.is_blocked !== true)
        .map((provider) => {
          const versions = this.versionsOf(provider.versions ?? [], provider.addr);
          return this.entry("provider", provider, null, versions, latestCatalogVersion(versions));
        });
      return { ok: true, entries, next: null };
    });
  }

  /** `GET /registry/docs/modules/index.json`, in either shape. */
  modules(options: CatalogListOptions = {}): AsyncGenerator<CatalogPage> {
    return this.index("modules", "the module index", options, (json) => {
      const page = decodePage(modulesIndexSchema, json);
      if (!page.ok) return page;
      const entries = this.each(moduleSchema, page.value.modules, "modules", "the module index")
        .filter((module) => module.is_blocked !== true)
        .map((module) => {
          if (module.versions === undefined) {
            return this.entry("module", module, module.addr.target, null, module.latest_version ?? null);
          }
          const versions = this.versionsOf(module.versions, module.addr);
          return this.entry("module", module, module.addr.target, versions, latestCatalogVersion(versions));
        });
      return { ok: true, entries, next: null };
    });
  }

  /**
   * `GET /registry/docs/search?q=`: its provider and module rows (a few of each; resource and data-source rows
   * are documentation pages, not catalog entries, and are left out). Throws for an answer that is not a list.
   */
  async search(query: string, signal?: AbortSignal): Promise<CatalogEntry[]> {
    const url = `${this.fetcher.baseUrl()}/registry/docs/search?${new URLSearchParams({ q: query }).toString()}`;
    const what = `the search for "${query}"`;
    const fetched = await this.fetcher.fetch(url, what, { signal });
    const rows = decodeOrThrow(
      z.array(z.unknown()),
      fetched.kind === "json" ? fetched.json : undefined,
      what,
    );
    const wanted = rows.filter(
      (row) => !isJsonObject(row) || row.type === "provider" || row.type === "module",
    );
    return this.each(searchRowSchema, wanted, "search", what).map((row) => {
      const { namespace, name, target_system: system } = row.link_variables;
      const kind = row.type;
      return this.entry(
        kind,
        { ...row, addr: { namespace, name } },
        kind === "module" ? (system ?? null) : null,
        null,
        row.version ?? null,
      );
    });
  }

  private index(
    kind: "providers" | "modules",
    name: string,
    options: CatalogListOptions,
    decode: (json: unknown) => DecodedPage,
  ): AsyncGenerator<CatalogPage> {
    // One document is one page: its cursor is always 0 and nothing follows it.
    return walkPages(
      this.fetcher,
      {
        first: 0,
        name,
        url: () => `${this.fetcher.baseUrl()}/registry/docs/${kind}/index.json`,
        decode,
        skip: () => null,
      },
      { ...options, from: 0 },
    );
  }

  private entry(
    kind: "provider" | "module",
    item: {
      addr: { namespace: string; name: string };
      description?: string | undefined;
      popularity?: number | undefined;
    },
    system: string | null,
    versions: CatalogVersion[] | null,
    latestVersion: string | null,
  ): CatalogEntry {
    return {
      host,
      kind,
      namespace: item.addr.namespace,
      name: item.addr.name,
      system,
      description: item.description ?? "",
      tier: null,
      verified: false,
      popularity: item.popularity ?? 0,
      source: null,
      latestVersion,
      versions,
    };
  }

  private versionsOf(list: readonly unknown[], addr: { namespace: string; name: string }): CatalogVersion[] {
    const what = `the versions of ${addr.namespace}/${addr.name}`;
    return newestFirst(
      this.each(versionSchema, list, "versions", what).map((v) => ({
        version: v.id,
        publishedAt: v.published ?? null,
      })),
    );
  }

  private each<T>(schema: z.ZodType<T>, entries: readonly unknown[], prefix: string, what: string): T[] {
    return decodeEach(schema, entries, prefix, (detail) => {
      this.fetcher.warn(`Catalog ${apiHost}: skipped an unreadable entry in ${what} (${detail}).`);
    });
  }
}
