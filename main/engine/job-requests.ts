import { z } from "zod";
import { LarderError } from "../core/errors.js";

/** A provider mirror job's request, as stored in `jobs.request_json`. */
export const providerJobRequestSchema = z
  .object({
    address: z.string().min(1),
    versions: z.array(z.string()),
    allVersions: z.boolean(),
    platforms: z.array(z.string()),
  })
  .strict();

/** A module mirror job's request, as stored in `jobs.request_json`. */
export const moduleJobRequestSchema = z
  .object({
    address: z.string().min(1),
    versions: z.array(z.string()),
    allVersions: z.boolean(),
    withDependencies: z.boolean(),
    platforms: z.array(z.string()),
  })
  .strict();

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
