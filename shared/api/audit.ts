import { z } from "zod";
import { isoTimeSchema } from "./common.js";

export const auditActorSchema = z.enum(["cli", "ui", "api", "pull-through"]);

/** One recorded state change. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: isoTimeSchema,
  actor: auditActorSchema,
  peer: z.string().nullable(),
  userAgent: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  outcome: z.enum(["ok", "failed"]),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** `GET /api/audit?limit=&before=&actor=&action=`, newest first. */
export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().positive().optional(),
    actor: auditActorSchema.optional(),
    action: z.string().min(1).optional(),
  })
  .strict();

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
