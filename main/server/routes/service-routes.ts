import { Router } from "express";
import type { Registry } from "prom-client";
import { APP_VERSION } from "../../engine/app-version.js";
import { sendJson } from "../send-json.js";

/**
 * Discovery for Larder's own host, liveness and metrics. The discovery document maps Larder's host to its
 * registry.terraform.io services, so `localhost:7374/NAMESPACE/TYPE` addresses work for mirrored providers too.
 */
export function serviceRoutes(metrics: Registry): Router {
  const router = Router();

  router.get("/.well-known/terraform.json", (_req, res) => {
    sendJson(res, {
      "providers.v1": "/v1/providers/registry.terraform.io/",
      "modules.v1": "/v1/modules/registry.terraform.io/",
    });
  });

  router.get("/healthz", (_req, res) => {
    sendJson(res, { status: "ok", version: APP_VERSION });
  });

  router.get("/metrics", async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });

  return router;
}
