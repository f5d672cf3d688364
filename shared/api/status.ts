import { z } from "zod";
import { clientSchema } from "./common.js";

/** `GET /api/status`. */
export const statusSchema = z.object({
  version: z.string(),
  dataDir: z.string(),
  listeners: z.object({ http: z.string(), https: z.string().nullable() }),
  mode: z.enum(["offline", "pull-through"]),
  clients: z.array(clientSchema),
  counts: z.object({
    providers: z.number().int(),
    providerVersions: z.number().int(),
    providerPackages: z.number().int(),
    modules: z.number().int(),
    moduleVersions: z.number().int(),
    activeJobs: z.number().int(),
  }),
  disk: z.object({ storedBytes: z.number(), freeBytes: z.number().nullable() }),
});
export type Status = z.infer<typeof statusSchema>;
