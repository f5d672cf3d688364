import { z } from "zod";
import { clientSchema, isoTimeSchema, platformNameSchema } from "./common.js";

const constraintsField = z
  .array(z.string().min(1, "a version constraint may not be empty"))
  .describe("version constraints, e.g. ~> 5.0; empty means the newest version");

/** `POST /api/jobs`: what to mirror. Host-less addresses are mirrored for each client's default host. */
export const startJobRequestSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("provider"),
      address: z
        .string({ error: "name a provider, e.g. hashicorp/aws" })
        .min(1, "name a provider, e.g. hashicorp/aws"),
      versions: constraintsField.default([]),
      allVersions: z.boolean().default(false),
      platforms: z.array(platformNameSchema).default([]),
      clients: z.array(clientSchema).min(1).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("module"),
      address: z
        .string({ error: "name a module, e.g. terraform-aws-modules/vpc/aws" })
        .min(1, "name a module, e.g. terraform-aws-modules/vpc/aws"),
      versions: constraintsField.default([]),
      allVersions: z.boolean().default(false),
      withDependencies: z.boolean().default(true),
      platforms: z.array(platformNameSchema).default([]),
      clients: z.array(clientSchema).min(1).optional(),
    })
    .strict(),
]);
export type StartJobRequest = z.input<typeof startJobRequestSchema>;

export const startJobResponseSchema = z.object({ id: z.number().int() });

/** A job's or item's state: the shared discriminated union every display switches over. */
export const jobStateSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("queued") }),
  z.object({ status: z.literal("running") }),
  z.object({ status: z.literal("paused") }),
  z.object({ status: z.literal("succeeded") }),
  z.object({ status: z.literal("failed"), reason: z.string() }),
  z.object({ status: z.literal("cancelled") }),
]);
export type JobState = z.infer<typeof jobStateSchema>;

export const itemStateSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("queued"), interrupted: z.boolean() }),
  z.object({ status: z.literal("running") }),
  z.object({ status: z.literal("paused") }),
  z.object({ status: z.literal("succeeded") }),
  z.object({ status: z.literal("failed"), reason: z.string() }),
  z.object({ status: z.literal("cancelled") }),
]);
export type ItemState = z.infer<typeof itemStateSchema>;

const countsSchema = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  paused: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  total: z.number().int(),
});

/** One line of the job list. */
export const jobSummarySchema = z.object({
  id: z.number().int(),
  kind: z.enum(["mirror-provider", "mirror-module", "mirror-project"]),
  what: z.string(),
  state: jobStateSchema,
  items: countsSchema,
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  ownerPid: z.number().int().nullable(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

/** One unit of work: a provider package or a module version. */
export const jobItemSchema = z.object({
  id: z.number().int(),
  kind: z.enum(["provider-package", "module-version"]),
  label: z.string(),
  host: z.string(),
  state: itemStateSchema,
  /** A pause or cancel asked for that the running process has not acted on yet. */
  requested: z.enum(["pause", "cancel"]).nullable(),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  startedAt: isoTimeSchema.nullable(),
  finishedAt: isoTimeSchema.nullable(),
});
export type JobItem = z.infer<typeof jobItemSchema>;

export const jobListSchema = z.object({ jobs: z.array(jobSummarySchema) });
export const jobDetailSchema = z.object({ job: jobSummarySchema, items: z.array(jobItemSchema) });
export type JobDetail = z.infer<typeof jobDetailSchema>;

export const jobActionSchema = z.enum(["pause", "resume", "cancel", "retry"]);
export type JobAction = z.infer<typeof jobActionSchema>;

/** `POST /api/jobs/:id/{action}`: the whole job, or one item of it. */
export const jobControlRequestSchema = z.object({ item: z.number().int().positive().optional() }).strict();

export const jobControlResponseSchema = z.object({
  job: jobSummarySchema,
  /** Running items another process was asked to stop; it does within a second. */
  waiting: z.number().int(),
  /** Where the job runs now: this server, another process (its pid), or nowhere (paused, cancelled, done). */
  runner: z.union([z.literal("here"), z.literal("none"), z.object({ pid: z.number().int() })]),
});
