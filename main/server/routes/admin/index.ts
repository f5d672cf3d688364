import express, { Router } from "express";
import type { AdminContext } from "../../admin/admin-context.js";
import { adminAuth, originGuard } from "../../middleware/admin-auth.js";
import { sendJson } from "../../send-json.js";
import { auditRoutes } from "./audit.js";
import { bundleRoutes } from "./bundles.js";
import { catalogRoutes } from "./catalog.js";
import { connectRoutes } from "./connect.js";
import { inventoryRoutes } from "./inventory.js";
import { jobRoutes } from "./jobs.js";
import { projectRoutes, projectUploadBody } from "./projects.js";
import { settingsRoutes } from "./settings.js";
import { statusRoutes } from "./status.js";

/**
 * `/api`: every route behind the admin token and the origin check. JSON bodies are parsed here only (a bundle
 * upload is streamed by its route), capped at 1 MiB, but for a project upload's configuration files.
 */
export function adminRoutes(context: AdminContext): Router {
  const router = Router();
  router.use("/api", adminAuth(context.tokens), originGuard);
  router.get("/api/events", context.events.handler);
  router.use("/api/projects", projectUploadBody);
  router.use("/api", express.json({ limit: "1mb", strict: true }));
  router.use(statusRoutes(context));
  router.use(jobRoutes(context));
  router.use(connectRoutes(context));
  router.use(bundleRoutes(context));
  router.use(auditRoutes(context));
  router.use(inventoryRoutes(context));
  router.use(catalogRoutes(context));
  router.use(settingsRoutes(context));
  router.use(projectRoutes(context));
  router.use("/api", (req, res) => {
    sendJson(
      res,
      {
        errors: [`No admin API route ${req.method} ${req.originalUrl}; see the README's Admin API section.`],
      },
      404,
    );
  });
  return router;
}
