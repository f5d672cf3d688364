import { Router, type Request } from "express";
import {
  catalogDetailQuerySchema,
  catalogModuleQuerySchema,
  catalogModuleSchema,
  catalogModuleSizesQuerySchema,
  catalogModuleSizesSchema,
  catalogProviderSchema,
  catalogRefreshRequestSchema,
  catalogRefreshStartedSchema,
  catalogProviderSizesQuerySchema,
  catalogProviderSizesSchema,
  catalogSearchQuerySchema,
  catalogSearchResultSchema,
} from "../../../../shared/api/index.js";
import { LarderError } from "../../../core/errors.js";
import { errorMessage } from "../../../core/errors.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

/**
 * Finding what to mirror: search the catalog cache, show one provider or module in detail, refresh the catalog.
 * Address look-ups go upstream unless the query says `offline=1` or the server runs with `--offline`: a person at
 * the Browse page asked, so a mirror that only serves what is stored may still ask the registry.
 */
export function catalogRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;

  router.get("/api/catalog/search", async (req, res) => {
    const query = parseInput(catalogSearchQuerySchema, req.query, "query");
    const registries = query.registry === undefined ? undefined : [query.registry].flat();
    const result = await larder.catalogs.search({
      text: query.q,
      ...(registries === undefined ? {} : { registries }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.offset === undefined ? {} : { offset: query.offset }),
      offline: context.offline || (query.offline ?? false),
    });
    sendValid(res, catalogSearchResultSchema, result);
  });

  router.post("/api/catalog/refresh", async (req, res) => {
    const request = parseInput(catalogRefreshRequestSchema, req.body ?? {}, "body");
    if (context.offline) {
      throw new LarderError(
        "conflict",
        "This server runs with --offline and contacts no registry; run larder catalog refresh where the registries are reachable, or restart larder serve without --offline.",
      );
    }
    if (larder.catalogs.refreshing) {
      throw new LarderError("conflict", "A catalog refresh is already running; wait for its finished event.");
    }
    const registries = request.registries ?? ["registry.terraform.io", "registry.opentofu.org"];
    await audited(context, res, "catalog.refresh", registries.join(","), () => {
      // Answered at once; the result arrives as "catalog" events. The server's close stops it, to resume later.
      larder.catalogs.refresh({ registries, signal: context.shutdown }).catch((error: unknown) => {
        if (!context.shutdown.aborted) context.log(`Catalog refresh failed: ${errorMessage(error)}`);
      });
    });
    res.status(202);
    sendValid(res, catalogRefreshStartedSchema, { registries });
  });

  router.get("/api/catalog/providers/:host/:namespace/:type", async (req, res) => {
    const options = detailOptions(req, context.offline);
    const detail = await asField(() =>
      larder.catalogs.provider(param(req, "host"), param(req, "namespace"), param(req, "type"), options),
    );
    sendValid(res, catalogProviderSchema, detail);
  });

  // Sizes for the versions and platforms a person ticked; only a bounded number of look-ups per call, none when
  // the query says offline or the server runs with --offline (as for the detail).
  router.get("/api/catalog/providers/:host/:namespace/:type/sizes", async (req, res) => {
    const query = parseInput(catalogProviderSizesQuerySchema, req.query, "query");
    const sizes = await larder.catalogs.providerSizes(
      param(req, "host"),
      param(req, "namespace"),
      param(req, "type"),
      {
        versions: query.version,
        platforms: query.platform,
        offline: context.offline || (query.offline ?? false),
      },
    );
    sendValid(res, catalogProviderSizesSchema, sizes);
  });

  router.get("/api/catalog/modules/:host/:namespace/:name/:system/sizes", (req, res) => {
    const query = parseInput(catalogModuleSizesQuerySchema, req.query, "query");
    const sizes = larder.catalogs.moduleSizes(
      param(req, "host"),
      param(req, "namespace"),
      param(req, "name"),
      param(req, "system"),
      query.version,
    );
    sendValid(res, catalogModuleSizesSchema, sizes);
  });

  router.get("/api/catalog/modules/:host/:namespace/:name/:system", async (req, res) => {
    const { version, ...query } = parseInput(catalogModuleQuerySchema, req.query, "query");
    const options = {
      ...(query.constraint === undefined ? {} : { constraint: query.constraint }),
      ...(context.offline || query.offline ? { offline: true } : {}),
      ...(version === undefined ? {} : { version }),
    };
    const detail = await asField(() =>
      larder.catalogs.module(
        param(req, "host"),
        param(req, "namespace"),
        param(req, "name"),
        param(req, "system"),
        options,
      ),
    );
    sendValid(res, catalogModuleSchema, detail);
  });

  return router;
}

function detailOptions(req: Request, serverOffline: boolean): { constraint?: string; offline?: boolean } {
  const query = parseInput(catalogDetailQuerySchema, req.query, "query");
  const offline = serverOffline || query.offline;
  return {
    ...(query.constraint === undefined ? {} : { constraint: query.constraint }),
    ...(offline === undefined ? {} : { offline }),
  };
}

/** The only bad input a detail can have past its schema is the constraint: name that field for the form. */
async function asField<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof LarderError && error.code === "invalid_input" && !(error instanceof InputError)) {
      throw new InputError([{ path: "query.constraint", message: error.message }]);
    }
    throw error;
  }
}
