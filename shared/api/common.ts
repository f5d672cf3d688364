import { z } from "zod";

/** Every error answer of the admin API: one line per problem, and for bad input the field each one is about. */
export const apiErrorSchema = z.object({
  errors: z.array(z.string()),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/** The registry clients a mirror serves; each reads a host-less address against its own default host. */
export const clientSchema = z.enum(["terraform", "tofu"]);
export type Client = z.infer<typeof clientSchema>;

/** `os_arch`, as terraform names platforms (`linux_amd64`). */
export const platformNameSchema = z
  .string()
  .regex(/^[a-z0-9]+_[a-z0-9]+$/, "use os_arch, for example linux_amd64");

/** A registry host name as it appears in addresses (`registry.terraform.io`, `registry.example.com:8443`). */
export const hostNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*(:\d{1,5})?$/u, "use a host name such as registry.example.com")
  .refine((host) => {
    const port = /:(\d+)$/.exec(host)?.[1];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, "a port is a number from 1 to 65535");

/** An absolute time as ISO 8601 text. */
export const isoTimeSchema = z.string();

/** A stored blob's content hash. */
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
