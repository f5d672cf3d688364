import { Router, type Request } from "express";
import {
  settingsSchema,
  settingsUpdateSchema,
  upstreamCheckSchema,
  upstreamHostSchema,
  upstreamUpdateSchema,
  type Settings,
} from "../../../../shared/api/index.js";
import { LarderError } from "../../../core/errors.js";
import { normalizeHostname } from "../../../core/hostname.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";
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
      "config.set",
      keys.join(", "),
      () => larder.settings.update(update),
      () => keys.map((key) => `${key} = ${JSON.stringify(update[key as keyof typeof update])}`).join(", "),
    );
    sendValid(res, settingsSchema, current());
  });

  router.put("/api/settings/upstreams/:host", async (req, res) => {
    const host = hostOf(req);
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

  // A read-only check, but it reaches out with the stored token: a POST, so the Origin guard applies.
  router.post("/api/settings/upstreams/:host/test", async (req, res) => {
    sendValid(res, upstreamCheckSchema, await larder.checkUpstream(hostOf(req)));
  });

  router.delete("/api/settings/upstreams/:host", async (req, res) => {
    const host = hostOf(req);
    await audited(context, res, "upstream.remove", host, () => larder.removeUpstream(host));
    sendValid(res, settingsSchema, current());
  });

  return router;
}

/**
 * The `:host` segment, checked as the engine will read it (a port up to 65535, a real host name), so a bad one is
 * a 400 naming the field rather than a failed change in the audit log.
 */
function hostOf(req: Request): string {
  const host = parseInput(upstreamHostSchema, param(req, "host"), "host");
  try {
    normalizeHostname(host);
  } catch (error) {
    if (error instanceof LarderError) throw new InputError([{ path: "host", message: error.message }]);
    throw error;
  }
  return host;
}
