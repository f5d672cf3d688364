import { Router, type Request } from "express";
import {
  catalogDetailQuerySchema,
  catalogModuleQuerySchema,
  catalogModuleSchema,
  catalogProviderSchema,
  catalogSearchQuerySchema,
  catalogSearchResultSchema,
} from "../../../../shared/api/index.js";
import { LarderError } from "../../../core/errors.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

/**
 * Finding what to mirror: search the catalog cache and show one provider or module in detail. Address look-ups go
 * upstream unless the query says `offline=1`: a person at the Browse page asked, so even a mirror serving
 * offline may ask the registry; the UI sends `offline=1` when it must not.
 */
export function catalogRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;

  router.get("/api/catalog/search", async (req, res) => {
    const query = parseInput(catalogSearchQuerySchema, req.query, "query");
    const registries = query.registry === undefined ? undefined : [query.registry].flat();
    const result = await larder.searchCatalog({
      text: query.q,
      ...(registries === undefined ? {} : { registries }),
      ...(query.kind === undefined ? {} : { kind: query.kind }),
      ...(query.tier === undefined ? {} : { tier: query.tier }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
      ...(query.offset === undefined ? {} : { offset: query.offset }),
      offline: query.offline ?? false,
    });
    sendValid(res, catalogSearchResultSchema, result);
  });

  router.get("/api/catalog/providers/:host/:namespace/:type", async (req, res) => {
    const options = detailOptions(req);
    const detail = await asField(() =>
      larder.catalogProvider(param(req, "host"), param(req, "namespace"), param(req, "type"), options),
    );
    sendValid(res, catalogProviderSchema, detail);
  });

  router.get("/api/catalog/modules/:host/:namespace/:name/:system", async (req, res) => {
    const { version, ...query } = parseInput(catalogModuleQuerySchema, req.query, "query");
    const options = {
      ...(query.constraint === undefined ? {} : { constraint: query.constraint }),
      ...(query.offline === undefined ? {} : { offline: query.offline }),
      ...(version === undefined ? {} : { version }),
    };
    const detail = await asField(() =>
      larder.catalogModule(
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

function detailOptions(req: Request): { constraint?: string; offline?: boolean } {
  const query = parseInput(catalogDetailQuerySchema, req.query, "query");
  return {
    ...(query.constraint === undefined ? {} : { constraint: query.constraint }),
    ...(query.offline === undefined ? {} : { offline: query.offline }),
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
