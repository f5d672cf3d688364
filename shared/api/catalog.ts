import { z } from "zod";

const kindSchema = z.enum(["provider", "module"]);

/** `1`/`true` or `0`/`false`, as a query string writes a flag. */
const flagSchema = z
  .enum(["1", "0", "true", "false"])
  .transform((value) => value === "1" || value === "true");

/**
 * `GET /api/catalog/search`. `registry` may repeat. `offline=1` answers from the cache alone; without it an
 * address-shaped `q` is also looked up live (a person asked, so it is allowed even when serving offline).
 */
export const catalogSearchQuerySchema = z
  .object({
    q: z.string().max(500).default(""),
    registry: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    kind: kindSchema.optional(),
    tier: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
    offset: z.coerce.number().int().min(0).optional(),
    offline: flagSchema.optional(),
  })
  .strict();

export const catalogLookupSchema = z.object({
  host: z.string(),
  kind: kindSchema,
  address: z.string(),
  outcome: z.enum(["found", "not-found", "failed"]),
  message: z.string().optional(),
});

export const catalogHitSchema = z.object({
  host: z.string(),
  kind: kindSchema,
  namespace: z.string(),
  name: z.string(),
  system: z.string().nullable(),
  address: z.string(),
  description: z.string(),
  tier: z.string().nullable(),
  verified: z.boolean(),
  popularity: z.number(),
  source: z.string().nullable(),
  latestVersion: z.string().nullable(),
  match: z.enum(["exact", "prefix", "text", "all"]),
  updatedAt: z.string(),
  refreshedAt: z.string().nullable(),
  /** `stored`: the latest version is stored (any platform); `partly`: another version is; else `not-stored`. */
  stored: z.enum(["stored", "partly", "not-stored"]),
});

export const catalogSearchResultSchema = z.object({
  results: z.array(catalogHitSchema),
  offline: z.boolean(),
  /** Per registry host: when its catalog's last refresh finished, or null (never). */
  refreshedAt: z.record(z.string(), z.string().nullable()),
  lookedUp: z.array(catalogLookupSchema),
});
export type CatalogSearchResult = z.infer<typeof catalogSearchResultSchema>;

/** `POST /api/catalog/refresh`: all public registries, or the ones named. */
export const catalogRefreshRequestSchema = z
  .object({ registries: z.array(z.string().min(1).max(253)).min(1).max(10).optional() })
  .strict();
export type CatalogRefreshRequest = z.infer<typeof catalogRefreshRequestSchema>;

/** 202: the refresh runs in the server; "catalog" events say when it finished and how each source did. */
export const catalogRefreshStartedSchema = z.object({ registries: z.array(z.string()) });
export type CatalogRefreshStarted = z.infer<typeof catalogRefreshStartedSchema>;

/** `?constraint=~> 5.0&offline=1` of the detail routes. */
export const catalogDetailQuerySchema = z
  .object({ constraint: z.string().max(200).optional(), offline: flagSchema.optional() })
  .strict();

const liveSchema = z.union([
  z.object({ status: z.enum(["fetched", "offline", "not-found"]) }),
  z.object({ status: z.literal("failed"), message: z.string() }),
]);

const detailEntrySchema = catalogHitSchema.omit({ address: true, match: true, stored: true }).nullable();

const detailBase = {
  host: z.string(),
  namespace: z.string(),
  name: z.string(),
  system: z.string().nullable(),
  entry: detailEntrySchema,
  live: liveSchema,
  constraint: z.string().nullable(),
};

const versionBase = {
  version: z.string(),
  publishedAt: z.string().nullable(),
  /** Null when no constraint was given. */
  matches: z.boolean().nullable(),
};

/**
 * `GET /api/catalog/providers/:host/:ns/:type`. A platform's `size` is its archive's bytes when known without a
 * request (stored, or estimated earlier by the sizes route), else null.
 */
export const catalogProviderSchema = z.object({
  ...detailBase,
  versions: z.array(
    z.object({
      ...versionBase,
      protocols: z.array(z.string()).nullable(),
      platforms: z
        .array(z.object({ os: z.string(), arch: z.string(), size: z.number().nullable() }))
        .nullable(),
      stored: z.array(z.string()),
    }),
  ),
});
export type CatalogProvider = z.infer<typeof catalogProviderSchema>;

/** `?version=1.2.0` of the module detail (with the other detail flags): which version's docs to show. */
export const catalogModuleQuerySchema = catalogDetailQuerySchema
  .extend({
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, "not a semantic version")
      .optional(),
  })
  .strict();

/**
 * The docs of one module version (`info.version`: `?version=`, else the newest release). Each part is null when
 * its source did not give it; `info.status` says where they came from: a registry's docs (`fetched`), the stored
 * archive (`stored`), or nowhere (`offline`, `unavailable`) with a `message`.
 */
const moduleDocsFields = {
  readme: z
    .object({ markdown: z.string(), truncated: z.boolean(), source: z.enum(["registry", "stored"]) })
    .nullable(),
  dependencies: z
    .object({
      modules: z.array(z.object({ name: z.string(), source: z.string(), version: z.string().nullable() })),
      providers: z.array(
        z.object({
          name: z.string(),
          namespace: z.string().nullable(),
          source: z.string().nullable(),
          version: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  inputs: z
    .array(
      z.object({ name: z.string(), description: z.string().nullable(), required: z.boolean().nullable() }),
    )
    .nullable(),
  outputs: z.array(z.object({ name: z.string(), description: z.string().nullable() })).nullable(),
  info: z.object({
    status: z.enum(["fetched", "stored", "offline", "unavailable"]),
    version: z.string().nullable(),
    message: z.string().optional(),
  }),
};

/** `GET /api/catalog/modules/:host/:ns/:name/:system?version=&constraint=&offline=`. */
export const catalogModuleSchema = z.object({
  ...detailBase,
  versions: z.array(z.object({ ...versionBase, stored: z.boolean() })),
  ...moduleDocsFields,
});
export type CatalogModule = z.infer<typeof catalogModuleSchema>;

/** One or more values of a repeated query parameter (`?version=1&version=2`), as a list. */
const repeated = <T extends z.ZodType<string>>(item: T) =>
  z.union([item, z.array(item).max(50)]).transform((value) => [value].flat() as z.output<T>[]);

const versionTextSchema = z.string().min(1).max(100);

/**
 * `GET /api/catalog/providers/:host/:ns/:type/sizes?version=&platform=[&offline=1]`: every given version on every
 * given platform (both may repeat). `offline=1` answers from stored packages and cached estimates alone.
 */
export const catalogProviderSizesQuerySchema = z
  .object({
    version: repeated(versionTextSchema),
    platform: repeated(z.string().regex(/^[a-z0-9]+_[a-z0-9]+$/, "expected OS_ARCH such as linux_amd64")),
    offline: flagSchema.optional(),
  })
  .strict();

/** `GET /api/catalog/modules/:host/:ns/:name/:system/sizes?version=`. */
export const catalogModuleSizesQuerySchema = z.object({ version: repeated(versionTextSchema) }).strict();

/**
 * `stored`: the archive's exact size; `registry`: the registry's download answer said; `head`: the download_url's
 * Content-Length, asked now; `cached`: one of those two, asked earlier; `unknown`: `size` is null and `reason` says
 * why (offline, "not estimated: limit …" — ask again —, the registry's error, or not offered).
 */
export const sizeSourceSchema = z.enum(["stored", "registry", "head", "cached", "unknown"]);

export const catalogProviderSizesSchema = z.object({
  sizes: z.array(
    z.object({
      version: z.string(),
      platform: z.string(),
      size: z.number().nullable(),
      source: sizeSourceSchema,
      reason: z.string().optional(),
      fetchedAt: z.string().optional(),
    }),
  ),
  /** The sum of the known sizes. */
  total: z.number(),
  /** Whether every size is known. */
  complete: z.boolean(),
});
export type CatalogProviderSizes = z.infer<typeof catalogProviderSizesSchema>;

/** Module sizes: exact when stored, else unknown until downloaded (git sources are not sized upfront). */
export const catalogModuleSizesSchema = z.object({
  sizes: z.array(
    z.object({
      version: z.string(),
      size: z.number().nullable(),
      source: z.enum(["stored", "unknown"]),
      reason: z.string().optional(),
    }),
  ),
  total: z.number(),
  complete: z.boolean(),
});
export type CatalogModuleSizes = z.infer<typeof catalogModuleSizesSchema>;
