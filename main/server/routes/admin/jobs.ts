import { Router, type Response } from "express";
import { z } from "zod";
import {
  jobActionSchema,
  jobControlRequestSchema,
  jobControlResponseSchema,
  jobDetailSchema,
  jobListSchema,
  startJobRequestSchema,
  startJobResponseSchema,
  type JobDetail,
  type JobSummary as ApiJobSummary,
} from "../../../../shared/api/index.js";
import { LarderError } from "../../../core/errors.js";
import type { JobService } from "../../../engine/job-service.js";
import type { JobSummary } from "../../../jobs/job-summary.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { audited } from "../../admin/audited.js";
import { parseInput, sendValid } from "../../admin/validate.js";
import { param } from "../../route-params.js";

type JobItemRecord = ReturnType<JobService["show"]>["items"][number];

const idSchema = z.coerce.number().int("use the job's number").positive("use the job's number");

/** `/api/jobs`: start provider and module jobs, list them, show one, and pause, resume, cancel or retry. */
export function jobRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;

  router.get("/api/jobs", (_req, res) => {
    sendValid(res, jobListSchema, { jobs: larder.jobs.list().map(jobJson) });
  });

  router.post("/api/jobs", async (req, res) => {
    const request = parseInput(startJobRequestSchema, req.body, "");
    const target = `${request.address} ${request.versions.length === 0 ? "newest" : request.versions.join(", ")}`;
    // Planning asks the upstream registry which versions and platforms exist, so the job lists real items.
    const job = await audited(
      context,
      res,
      `mirror.${request.kind}`,
      target,
      () =>
        request.kind === "provider"
          ? larder.jobs.createProviderJob(request)
          : larder.jobs.createModuleJob(request),
      (created) => `job ${created.id} created: ${created.what}`,
    );
    context.jobs.start(job.id);
    sendValid(res, startJobResponseSchema, { id: job.id }, 201);
  });

  router.get("/api/jobs/:id", (req, res) => {
    sendValid(res, jobDetailSchema, detailOf(context, parseInput(idSchema, param(req, "id"), "id")));
  });

  router.post("/api/jobs/:id/:action", async (req, res) => {
    const id = parseInput(idSchema, param(req, "id"), "id");
    const action = parseInput(jobActionSchema, param(req, "action"), "action");
    const { item } = parseInput(jobControlRequestSchema, req.body, "");
    const target = item === undefined ? `job ${id}` : `item ${item} of job ${id}`;
    await audited(context, res, `job.${action}`, target, () => {
      control(context, res, id, action, item);
    });
  });

  return router;
}

function control(
  context: AdminContext,
  res: Response,
  id: number,
  action: z.infer<typeof jobActionSchema>,
  item: number | undefined,
): void {
  const { larder } = context;
  let waiting = 0;
  try {
    waiting = larder.jobs.control(id, action, item).waiting;
  } catch (error) {
    // Items a killed process left running were queued again on open: resuming them means running them.
    const queued = larder.jobs.show(id).job.items.queued;
    if (!(action === "resume" && error instanceof LarderError && error.code === "conflict" && queued > 0))
      throw error;
  }
  if (action === "resume" || action === "retry") {
    if (larder.jobs.ownerOf(id) === undefined) context.jobs.start(id);
  }
  const owner = larder.jobs.ownerOf(id);
  sendValid(res, jobControlResponseSchema, {
    job: jobJson(larder.jobs.show(id).job),
    waiting,
    runner: context.jobs.isRunning(id) ? "here" : owner === undefined ? "none" : { pid: owner },
  });
}

function detailOf(context: AdminContext, id: number): JobDetail {
  const { job, items } = context.larder.jobs.show(id);
  return { job: jobJson(job), items: items.map(itemJson) };
}

/** A job summary in the API's shape (null, not absent, for what is unknown). */
export function jobJson(job: JobSummary): ApiJobSummary {
  return {
    id: job.id,
    kind: job.kind,
    what: job.what,
    state: job.state,
    items: job.items,
    bytesDone: job.bytesDone,
    bytesTotal: job.bytesTotal ?? null,
    ownerPid: job.ownerPid ?? null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

function itemJson(item: JobItemRecord): JobDetail["items"][number] {
  return {
    id: item.id,
    kind: item.kind,
    label: item.label,
    host: item.host,
    state: item.state,
    requested: item.requested ?? null,
    bytesDone: item.bytesDone,
    bytesTotal: item.bytesTotal ?? null,
    startedAt: item.startedAt ?? null,
    finishedAt: item.finishedAt ?? null,
  };
}
