import { z } from "zod";
import { REGISTRY_CLIENTS } from "../core/clients.js";
import { LarderError } from "../core/errors.js";

/** The clients a request's host-less addresses were read for; absent in jobs stored before clients existed. */
const clientsField = z.array(z.enum(REGISTRY_CLIENTS)).min(1).optional();

/** A provider mirror job's request, as stored in `jobs.request_json`. */
export const providerJobRequestSchema = z
  .object({
    address: z.string().min(1),
    /** Every address of a `larder mirror provider A B …` (the first is `address` too). */
    addresses: z.array(z.string().min(1)).min(2).optional(),
    versions: z.array(z.string()),
    allVersions: z.boolean(),
    platforms: z.array(z.string()),
    clients: clientsField,
  })
  .strict();

/** A module mirror job's request, as stored in `jobs.request_json`. */
export const moduleJobRequestSchema = z
  .object({
    address: z.string().min(1),
    /** Every address of a `larder mirror module A B …` (the first is `address` too). */
    addresses: z.array(z.string().min(1)).min(2).optional(),
    versions: z.array(z.string()),
    allVersions: z.boolean(),
    withDependencies: z.boolean(),
    platforms: z.array(z.string()),
    clients: clientsField,
  })
  .strict();

export type ModuleJobRequest = z.infer<typeof moduleJobRequestSchema>;

/** A project mirror job's request (`larder mirror project`), as stored in `jobs.request_json`. */
export const projectJobRequestSchema = z
  .object({
    dirs: z.array(z.string().min(1)).min(1),
    platforms: z.array(z.string()),
    clients: z.array(z.enum(REGISTRY_CLIENTS)).min(1),
  })
  .strict();

export type ProjectJobRequest = z.infer<typeof projectJobRequestSchema>;

/** One provider package item, as stored in `job_items.ref_json`. */
export const providerItemRefSchema = z
  .object({
    host: z.string(),
    namespace: z.string(),
    type: z.string(),
    version: z.string(),
    os: z.string(),
    arch: z.string(),
  })
  .strict();

/** One module version item (with its dependencies when asked), as stored in `job_items.ref_json`. */
export const moduleItemRefSchema = z
  .object({
    address: z.string(),
    version: z.string(),
    withDependencies: z.boolean(),
    platforms: z.array(z.string()),
    /** Whose default hosts the module's host-less calls and required providers are followed on. */
    clients: clientsField,
  })
  .strict();

/** Parses stored JSON with a schema; a mismatch means the database was edited or is from another version. */
export function parseStored<T>(schema: z.ZodType<T>, json: string, what: string): T {
  const result = schema.safeParse(JSON.parse(json));
  if (!result.success) {
    throw new LarderError(
      "storage_failed",
      `The stored ${what} is not valid (${result.error.issues[0]?.message ?? "unknown"}); cancel the job and create it again.`,
    );
  }
  return result.data;
}
