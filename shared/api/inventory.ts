import { z } from "zod";
import { clientSchema, sha256Schema } from "./common.js";

/** One stored platform of a provider version, with the hashes a lock file records. */
export const storedPlatformSchema = z.object({
  os: z.string(),
  arch: z.string(),
  filename: z.string(),
  size: z.number(),
  sha256: sha256Schema,
  /** `h1:` of the archive's entries: what `init` records for the installing platform. */
  h1: z.string(),
  /** `zh:` of the archive's bytes: what the signed SHA256SUMS lists. */
  zh: z.string(),
});

export const storedProviderVersionSchema = z.object({
  version: z.string(),
  /** False for a keyless provider stored on its checksums alone (tofu's rule). */
  signed: z.boolean(),
  keyId: z.string().nullable(),
  bytes: z.number(),
  platforms: z.array(storedPlatformSchema),
});

export const storedProviderSchema = z.object({
  namespace: z.string(),
  type: z.string(),
  bytes: z.number(),
  versions: z.array(storedProviderVersionSchema),
});

export const storedModuleSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  system: z.string(),
  bytes: z.number(),
  versions: z.array(
    z.object({ version: z.string(), size: z.number(), sha256: sha256Schema, sourceKind: z.string() }),
  ),
});

/** `GET /api/inventory`: host → provider/module → version → platform. */
export const inventorySchema = z.object({
  totalBytes: z.number(),
  hosts: z.array(
    z.object({
      host: z.string(),
      /** The clients that read host-less addresses from this host (none for a private registry). */
      clients: z.array(clientSchema),
      bytes: z.number(),
      providers: z.array(storedProviderSchema),
      modules: z.array(storedModuleSchema),
    }),
  ),
});
export type Inventory = z.infer<typeof inventorySchema>;

export const deleteProviderResponseSchema = z.object({ packages: z.number().int() });
export const deleteModuleResponseSchema = z.object({ modules: z.number().int() });

/** `POST /api/gc`. */
export const gcRequestSchema = z.object({ dryRun: z.boolean().default(false) }).strict();
export const gcResponseSchema = z.object({
  dryRun: z.boolean(),
  blobs: z.number().int(),
  bytes: z.number(),
});

/** `GET /api/inventory/usage`: disk use by host and by provider or module. */
export const diskUsageSchema = z.object({
  totalBytes: z.number(),
  unreferencedBytes: z.number(),
  onDiskBytes: z.number(),
  hosts: z.array(
    z.object({
      host: z.string(),
      bytes: z.number(),
      providers: z.array(z.object({ address: z.string(), bytes: z.number() })),
      modules: z.array(z.object({ address: z.string(), bytes: z.number() })),
    }),
  ),
});
export type DiskUsage = z.infer<typeof diskUsageSchema>;
