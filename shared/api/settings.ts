import { z } from "zod";
import { clientSchema, hostNameSchema } from "./common.js";

/** A registry Larder reaches somewhere else than its public address, or with a token. Tokens never come back. */
export const upstreamSchema = z.object({
  host: z.string(),
  url: z.string().nullable(),
  hasToken: z.boolean(),
  /** "flag": given to this process with --upstream (wins over the setting). */
  source: z.enum(["setting", "flag"]),
});
export type Upstream = z.infer<typeof upstreamSchema>;

/** `GET /api/settings`. */
export const settingsSchema = z.object({
  clients: z.array(clientSchema).min(1),
  pullThrough: z.boolean(),
  pullThroughTtlSeconds: z.number().int().min(0),
  requireSignatures: z.boolean(),
  concurrency: z.number().int().min(1).max(64),
  perHostConcurrency: z.number().int().min(1).max(16),
  /** Hours after which the search catalog refreshes in the background; 0: only when asked. */
  catalogRefreshHours: z.number().int().min(0).max(720),
  upstreams: z.array(upstreamSchema),
});
export type Settings = z.infer<typeof settingsSchema>;

/** `PUT /api/settings`: the settings to change; the others keep their values. */
export const settingsUpdateSchema = settingsSchema
  .omit({ upstreams: true })
  .partial()
  .strict()
  .refine((update) => Object.keys(update).length > 0, "name at least one setting to change");
export type SettingsUpdate = z.input<typeof settingsUpdateSchema>;

/** `PUT /api/settings/upstreams/:host`: `token` absent keeps the stored one, null removes it. */
export const upstreamUpdateSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "use an http:// or https:// URL" })
      .nullable()
      .optional(),
    token: z.string().min(1, "a token may not be empty; send null to remove it").nullable().optional(),
  })
  .strict();
export type UpstreamUpdate = z.input<typeof upstreamUpdateSchema>;

export const upstreamHostSchema = hostNameSchema;

/** `POST /api/settings/upstreams/:host/test`: discovery, then each offered API's `versions`, with the token. */
export const upstreamCheckSchema = z.object({
  host: z.string(),
  baseUrl: z.string(),
  hasToken: z.boolean(),
  ok: z.boolean(),
  steps: z.array(
    z.object({
      name: z.enum(["discovery", "providers.v1", "modules.v1"]),
      ok: z.boolean(),
      detail: z.string(),
    }),
  ),
  elapsedMs: z.number().int().min(0),
});
export type UpstreamCheckResult = z.infer<typeof upstreamCheckSchema>;
