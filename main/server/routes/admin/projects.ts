import express, { Router } from "express";
import { z } from "zod";
import {
  addProjectRequestSchema,
  PROJECT_UPLOAD_LIMITS,
  projectListSchema,
  projectPlanSchema,
  projectSchema,
  removeProjectResponseSchema,
  startJobResponseSchema,
  updateProjectRequestSchema,
} from "../../../../shared/api/index.js";
import { LarderError } from "../../../core/errors.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { projectJson } from "../../admin/project-json.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

/**
 * The body parser of `/api/projects`, mounted before the admin API's 1 MiB one (which then finds the body read): an
 * upload carries a project's configuration files as text, up to PROJECT_UPLOAD_LIMITS plus the JSON around them.
 */
export const projectUploadBody = express.json({
  limit: PROJECT_UPLOAD_LIMITS.bytes * 2,
  strict: true,
});

const idSchema = z.coerce.number().int("use the project's number").positive("use the project's number");

/**
 * `/api/projects`: repositories remembered by the UI (issue 16), each answered with its check against the mirror
 * as it is at that moment, so a list fetched after any change of the mirror is re-checked. Plan and Mirror ask the
 * registries, as `larder mirror project` does.
 */
export function projectRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;
  const saved = larder.savedProjects;

  router.get("/api/projects", async (_req, res) => {
    const reports = await saved.list();
    sendValid(res, projectListSchema, { projects: reports.map(projectJson) });
  });

  router.post("/api/projects", async (req, res) => {
    const request = parseInput(addProjectRequestSchema, req.body, "");
    if (request.kind === "upload") {
      const bytes = request.files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
      if (bytes > PROJECT_UPLOAD_LIMITS.bytes)
        throw new InputError([
          {
            path: "files",
            message: `The upload holds ${bytes} bytes of configuration; at most ${PROJECT_UPLOAD_LIMITS.bytes} are taken.`,
          },
        ]);
    }
    const target = request.kind === "folder" ? request.path : `upload "${request.name}"`;
    const report = await audited(
      context,
      res,
      "project.add",
      target,
      () => saved.add(request),
      (added) => `project ${added.record.id}: ${added.record.path}`,
    );
    sendValid(res, projectSchema, projectJson(report), 201);
  });

  router.get("/api/projects/:id", async (req, res) => {
    const report = await saved.get(parseInput(idSchema, param(req, "id"), "id"));
    sendValid(res, projectSchema, projectJson(report));
  });

  router.put("/api/projects/:id", async (req, res) => {
    const id = parseInput(idSchema, param(req, "id"), "id");
    const update = parseInput(updateProjectRequestSchema, req.body, "");
    const report = await audited(context, res, "project.update", `project ${id}`, () =>
      saved.update(id, update),
    );
    sendValid(res, projectSchema, projectJson(report));
  });

  router.delete("/api/projects/:id", async (req, res) => {
    const id = parseInput(idSchema, param(req, "id"), "id");
    await audited(context, res, "project.remove", `project ${id}`, () => saved.remove(id));
    sendValid(res, removeProjectResponseSchema, { removed: id });
  });

  router.post("/api/projects/:id/plan", async (req, res) => {
    const id = parseInput(idSchema, param(req, "id"), "id");
    refuseOffline(context.offline);
    const plan = await saved.plan(id, context.shutdown);
    const notStored = plan.items.filter((item) => !item.stored && item.refusal === undefined);
    sendValid(res, projectPlanSchema, {
      items: plan.items.map((item) => ({
        kind: item.kind,
        label: item.label,
        stored: item.stored,
        size: item.size ?? null,
        refusal: item.refusal ?? null,
      })),
      totals: {
        items: plan.items.length,
        stored: plan.items.filter((item) => item.stored).length,
        bytesToDownload: notStored.reduce((sum, item) => sum + (item.size ?? 0), 0),
        unknownSizes: notStored.filter((item) => item.size === undefined).length,
      },
      remote: plan.remote.map((entry) => ({
        source: entry.source,
        calledFrom: entry.calledFrom,
        host: entry.host ?? null,
        read: entry.read,
        problem: entry.reason ?? null,
      })),
    });
  });

  router.post("/api/projects/:id/mirror", async (req, res) => {
    const id = parseInput(idSchema, param(req, "id"), "id");
    refuseOffline(context.offline);
    const project = saved.record(id);
    const job = await audited(
      context,
      res,
      "mirror.project",
      project.path,
      () => saved.mirror(id, context.shutdown),
      (created) => `job ${created.id} created: ${created.what}`,
    );
    context.jobs.start(job.id);
    sendValid(res, startJobResponseSchema, { id: job.id }, 201);
  });

  return router;
}

/** `larder serve --offline` asks no registry: planning and mirroring a project would have to. */
function refuseOffline(offline: boolean): void {
  if (offline)
    throw new LarderError(
      "conflict",
      "This server runs with --offline and contacts no registry; mirror the project where the registries are reachable (larder mirror project), or restart larder serve without --offline.",
    );
}
