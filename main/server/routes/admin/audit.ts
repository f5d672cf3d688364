import { Router } from "express";
import { auditPageSchema, auditQuerySchema } from "../../../../shared/api/index.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { parseInput, sendValid } from "../../admin/validate.js";

/** `GET /api/audit?limit=&before=&actor=&action=`: the audit log, newest first, a page at a time. */
export function auditRoutes(context: AdminContext): Router {
  const router = Router();
  router.get("/api/audit", (req, res) => {
    const query = parseInput(auditQuerySchema, req.query, "query");
    sendValid(res, auditPageSchema, context.larder.audit.page(query));
  });
  return router;
}
