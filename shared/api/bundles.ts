import { z } from "zod";
import { isoTimeSchema, platformNameSchema } from "./common.js";

/** What an export takes; nothing named means everything stored. */
export const bundleSelectionSchema = z
  .object({
    providers: z.array(z.string().min(1)).default([]),
    modules: z.array(z.string().min(1)).default([]),
    version: z.string().min(1).optional(),
    platforms: z.array(platformNameSchema).default([]),
    /** Incremental: an earlier bundle's id (or a file on the server) whose content is left out. */
    since: z.string().min(1).optional(),
  })
  .strict();

/** `POST /api/bundles/export`: write a bundle to a path on the server's machine (the desktop case). */
export const exportToPathRequestSchema = bundleSelectionSchema
  .extend({
    path: z.string().min(1, "name the file to write, e.g. /media/usb/larder.tar"),
    gzip: z.boolean().optional(),
    /** An armored private key file on the server's machine; its passphrase, if any. */
    signKeyPath: z.string().min(1).optional(),
    signKeyPassphrase: z.string().optional(),
  })
  .strict();
export type ExportToPathRequest = z.input<typeof exportToPathRequestSchema>;

/** `POST /api/bundles/plan`: what an export of the selection would write, writing nothing (a dry run). */
export const exportPlanRequestSchema = bundleSelectionSchema
  .extend({
    signKeyPath: z.string().min(1).optional(),
    signKeyPassphrase: z.string().optional(),
  })
  .strict();
export type ExportPlanRequest = z.input<typeof exportPlanRequestSchema>;

export const exportPlanSchema = z.object({
  /** The exact size of the uncompressed tar, signature included: the download's Content-Length. */
  tarBytes: z.number().int(),
  providerPackages: z.number().int(),
  moduleVersions: z.number().int(),
  parentId: z.string().nullable(),
  signedBy: z.string().nullable(),
});
export type ExportPlan = z.infer<typeof exportPlanSchema>;

export const exportResultSchema = z.object({
  bundleId: z.string(),
  path: z.string(),
  fileBytes: z.number(),
  providerPackages: z.number().int(),
  moduleVersions: z.number().int(),
  signedBy: z.string().nullable(),
  parentId: z.string().nullable(),
});

/** `POST /api/bundles/verify` and `/import` with a JSON body: a bundle file on the server's machine. */
export const bundlePathRequestSchema = z
  .object({
    path: z.string().min(1, "name the bundle file"),
    /** The armored public key the bundle must be signed with (a file on the server, or the key text). */
    trustedKeyPath: z.string().min(1).optional(),
    trustedKey: z.string().min(1).optional(),
  })
  .strict();

/** The import's explicit trust decision: a key the signature must verify with, or "unchecked" on purpose. */
export const importRequestSchema = bundlePathRequestSchema
  .extend({ trust: z.enum(["key", "unchecked"]) })
  .strict()
  .refine((request) => request.trust === "unchecked" || request.trustedKey || request.trustedKeyPath, {
    message: 'trust "key" needs trustedKey or trustedKeyPath',
    path: ["trust"],
  });

const entryResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("ok"), path: z.string(), kind: z.string(), checks: z.array(z.string()) }),
  z.object({ status: z.literal("failed"), path: z.string(), kind: z.string(), reasons: z.array(z.string()) }),
]);

/** Every check `bundle verify` ran, entry by entry. */
export const verifyReportSchema = z.object({
  bundleId: z.string(),
  createdAt: isoTimeSchema,
  larderVersion: z.string(),
  parentId: z.string().nullable(),
  ok: z.boolean(),
  sums: z.discriminatedUnion("status", [
    z.object({ status: z.literal("ok") }),
    z.object({ status: z.literal("failed"), reasons: z.array(z.string()) }),
  ]),
  signature: z.discriminatedUnion("status", [
    z.object({ status: z.literal("unsigned") }),
    z.object({ status: z.literal("signed-unchecked"), keyId: z.string() }),
    z.object({ status: z.literal("trusted"), keyId: z.string() }),
    z.object({ status: z.literal("failed"), reason: z.string() }),
  ]),
  entries: z.array(entryResultSchema),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

export const importResultSchema = z.object({
  status: z.enum(["imported", "already-imported"]),
  bundleId: z.string(),
  providerPackages: z.number().int(),
  moduleVersions: z.number().int(),
});

/** One bundle in the history. */
export const bundleRecordSchema = z.object({
  id: z.string(),
  direction: z.enum(["export", "import"]),
  parentId: z.string().nullable(),
  bundleCreatedAt: isoTimeSchema,
  recordedAt: isoTimeSchema,
  file: z.string(),
  size: z.number(),
  providerPackages: z.number().int(),
  moduleVersions: z.number().int(),
  entries: z.number().int(),
  signedBy: z.string().nullable(),
});
export const bundleHistorySchema = z.object({ bundles: z.array(bundleRecordSchema) });
