import { Router, type Request } from "express";
import { z } from "zod";
import {
  deleteModuleResponseSchema,
  deleteProviderResponseSchema,
  diskUsageSchema,
  gcRequestSchema,
  gcResponseSchema,
  inventorySchema,
  platformNameSchema,
} from "../../../../shared/api/index.js";
import { parsePlatform } from "../../../core/platform.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

const platformQuerySchema = z.object({ platform: platformNameSchema.optional() }).strict();

/**
 * What is stored and the storage it takes: the tree, disk usage, deleting a provider version (or one platform of
 * it) or a module version, and garbage collection of the bytes nothing references any more.
 */
export function inventoryRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;

  router.get("/api/inventory", (_req, res) => {
    sendValid(res, inventorySchema, larder.inventory());
  });

  router.get("/api/inventory/usage", (_req, res) => {
    sendValid(res, diskUsageSchema, larder.diskUsage());
  });

  router.delete("/api/inventory/providers/:host/:namespace/:type/:version", async (req, res) => {
    const { platform } = parseInput(platformQuerySchema, req.query, "query");
    const target = {
      ...segments(req, ["host", "namespace", "type", "version"] as const),
      ...(platform === undefined ? {} : { platform: parsePlatform(platform) }),
    };
    const name = `${target.host}/${target.namespace}/${target.type} ${target.version}${platform === undefined ? "" : ` ${platform}`}`;
    const result = await audited(
      context,
      res,
      "inventory.delete",
      name,
      () => larder.deleteProvider(target),
      (deleted) => `${deleted.packages} package(s) deleted`,
    );
    inventoryChanged(context);
    sendValid(res, deleteProviderResponseSchema, result);
  });

  router.delete("/api/inventory/modules/:host/:namespace/:name/:system/:version", async (req, res) => {
    const target = segments(req, ["host", "namespace", "name", "system", "version"] as const);
    const name = `${target.host}/${target.namespace}/${target.name}/${target.system} ${target.version}`;
    const result = await audited(
      context,
      res,
      "inventory.delete",
      name,
      () => larder.deleteModule(target),
      (deleted) => `${deleted.modules} module version(s) deleted`,
    );
    inventoryChanged(context);
    sendValid(res, deleteModuleResponseSchema, result);
  });

  router.post("/api/gc", async (req, res) => {
    const { dryRun } = parseInput(gcRequestSchema, req.body, "");
    const report = dryRun
      ? larder.collectGarbage({ dryRun })
      : await audited(
          context,
          res,
          "gc",
          "unreferenced blobs",
          () => larder.collectGarbage({ dryRun }),
          (done) => `${done.blobs} blob(s), ${done.bytes} bytes freed`,
        );
    if (!dryRun && report.blobs > 0) inventoryChanged(context);
    sendValid(res, gcResponseSchema, report);
  });

  return router;
}

/** Named path segments, each required (Express decodes them; an empty one cannot match a stored row). */
function segments<K extends string>(req: Request, names: readonly K[]): Record<K, string> {
  const shape = Object.fromEntries(
    names.map((name) => [name, z.string().min(1, `${name} may not be empty`)]),
  ) as Record<K, z.ZodString>;
  return parseInput(
    z.object(shape),
    Object.fromEntries(names.map((name) => [name, param(req, name)])),
    "path",
  ) as Record<K, string>;
}

/** Deletes change what is served: every window refetches its inventory. */
function inventoryChanged(context: AdminContext): void {
  context.events.publish({ type: "inventory" });
}
