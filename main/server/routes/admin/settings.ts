import { Router } from "express";
import {
  settingsSchema,
  settingsUpdateSchema,
  upstreamHostSchema,
  upstreamUpdateSchema,
  type Settings,
} from "../../../../shared/api/index.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

/**
 * `GET/PUT /api/settings` and the upstream registries under it: the same settings `larder config` and
 * `larder upstream` change, applied without a restart. A registry token goes in and never comes back out.
 */
export function settingsRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;
  const current = (): Settings => ({
    ...larder.settings.values(),
    clients: [...larder.settings.get("clients")],
    upstreams: larder.listUpstreams(),
  });

  router.get("/api/settings", (_req, res) => {
    sendValid(res, settingsSchema, current());
  });

  router.put("/api/settings", async (req, res) => {
    const update = parseInput(settingsUpdateSchema, req.body, "");
    const keys = Object.keys(update).sort();
    await audited(
      context,
      res,
      "settings.set",
      keys.join(", "),
      () => larder.settings.update(update),
      () => keys.map((key) => `${key} = ${JSON.stringify(update[key as keyof typeof update])}`).join(", "),
    );
    sendValid(res, settingsSchema, current());
  });

  router.put("/api/settings/upstreams/:host", async (req, res) => {
    const host = parseInput(upstreamHostSchema, param(req, "host"), "host");
    const update = parseInput(upstreamUpdateSchema, req.body, "");
    await audited(
      context,
      res,
      "upstream.set",
      host,
      () => larder.setUpstream({ host, ...update }),
      // Whether a token was set, never the token.
      (entry) => `url ${entry.url ?? "(default)"}, ${entry.hasToken ? "with" : "without"} a token`,
    );
    sendValid(res, settingsSchema, current());
  });

  router.delete("/api/settings/upstreams/:host", async (req, res) => {
    const host = parseInput(upstreamHostSchema, param(req, "host"), "host");
    await audited(context, res, "upstream.remove", host, () => larder.removeUpstream(host));
    sendValid(res, settingsSchema, current());
  });

  return router;
}
