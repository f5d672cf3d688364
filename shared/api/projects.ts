import { z } from "zod";
import { clientSchema, hostNameSchema, isoTimeSchema, platformNameSchema } from "./common.js";

/** The most configuration one uploaded project may carry: text files, so generous for any real repository. */
export const PROJECT_UPLOAD_LIMITS = { files: 2000, bytes: 8 * 1024 * 1024 } as const;

/** Files an upload may hold: what init reads (configuration and the lock file), nothing else. */
export function isProjectFileName(path: string): boolean {
  const name = path.split("/").pop() ?? "";
  return name.endsWith(".tf") || name.endsWith(".tf.json") || name === ".terraform.lock.hcl";
}

/** A path inside an uploaded project: relative, `/`-separated, no `..`, nothing hidden but the lock file. */
const projectFilePathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => !path.includes("\0") && !path.includes("\\"), "use / between folders, no NUL")
  .refine((path) => !path.startsWith("/") && !/^[A-Za-z]:/.test(path), "use a path relative to the project")
  .refine(
    (path) => path.split("/").every((part) => part !== "" && part !== "." && part !== ".."),
    "a path may not contain empty, . or .. parts",
  )
  .refine(isProjectFileName, "only .tf, .tf.json and .terraform.lock.hcl files are read");

/** An absolute path on the machine Larder runs on (a folder the desktop app's dialog or a person named). */
const serverPathSchema = z
  .string()
  .min(1, "name the folder you run init in")
  .max(4096)
  .refine((path) => !path.includes("\0"), "a path may not contain NUL")
  .refine((path) => path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\"), {
    message: "use an absolute path on the machine Larder runs on",
  });

const projectNameSchema = z.string().trim().min(1, "give the project a name").max(120);

/** What a project is checked for: clients (empty: the mirror's `clients` setting), platforms, reachable hosts. */
const projectTargetsShape = {
  clients: z.array(clientSchema).default([]),
  /** Platforms init must work on; empty means the machine Larder runs on. */
  platforms: z.array(platformNameSchema).default([]),
  /** Hosts init reaches where it runs (an internal git server): git/HTTP modules there are fine. */
  reachable: z.array(hostNameSchema).default([]),
};

/** `POST /api/projects`: a folder on the Larder machine, or a project's files uploaded from a browser. */
export const addProjectRequestSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("folder"),
      path: serverPathSchema,
      /** Default: the folder's name. */
      name: projectNameSchema.optional(),
      ...projectTargetsShape,
    })
    .strict(),
  z
    .object({
      kind: z.literal("upload"),
      name: projectNameSchema,
      files: z
        .array(z.object({ path: projectFilePathSchema, content: z.string() }).strict())
        .min(1, "choose the folder you run init in: no .tf or .tf.json file was chosen")
        .max(PROJECT_UPLOAD_LIMITS.files, `at most ${PROJECT_UPLOAD_LIMITS.files} files`),
      ...projectTargetsShape,
    })
    .strict(),
]);
export type AddProjectRequest = z.input<typeof addProjectRequestSchema>;

/** `PUT /api/projects/:id`: rename, or change what it is checked for. */
export const updateProjectRequestSchema = z
  .object({
    name: projectNameSchema.optional(),
    clients: projectTargetsShape.clients.optional(),
    platforms: projectTargetsShape.platforms.optional(),
    reachable: projectTargetsShape.reachable.optional(),
  })
  .strict();
export type UpdateProjectRequest = z.input<typeof updateProjectRequestSchema>;

/** One provider of a project for one client: the version init would install and whether it is stored. */
const projectProviderSchema = z.object({
  address: z.string(),
  constraints: z.string(),
  version: z.string().nullable(),
  locked: z.boolean(),
  /** Each platform asked about: stored or not, and the stored archive's size. */
  platforms: z.array(z.object({ platform: z.string(), stored: z.boolean(), size: z.number().nullable() })),
  problem: z.string().nullable(),
  /** The `larder` command that would mirror it, when it is missing. */
  fix: z.string().nullable(),
});

const projectModuleSchema = z.object({
  /** With its `//subdir`, if any. */
  address: z.string(),
  constraint: z.string().nullable(),
  stored: z.string().nullable(),
  size: z.number().nullable(),
  calledFrom: z.string(),
  problem: z.string().nullable(),
  fix: z.string().nullable(),
});

const projectRemoteModuleSchema = z.object({
  source: z.string(),
  calledFrom: z.string(),
  host: z.string().nullable(),
  read: z.enum(["read", "unsupported", "not-read", "failed"]),
  problem: z.string().nullable(),
});

/** Would `init` work offline for one client? */
export const projectClientCheckSchema = z.object({
  client: clientSchema,
  ok: z.boolean(),
  providers: z.array(projectProviderSchema),
  modules: z.array(projectModuleSchema),
  remote: z.array(projectRemoteModuleSchema),
});
export type ProjectClientCheck = z.infer<typeof projectClientCheckSchema>;

/** A project's standing, as the discriminated union every display switches over. */
export const projectStatusSchema = z.discriminatedUnion("state", [
  z.object({ state: z.literal("ok") }),
  z.object({ state: z.literal("missing"), problems: z.number().int().positive() }),
  /** The project could not be read (folder gone, a file that does not parse). */
  z.object({ state: z.literal("error"), message: z.string() }),
]);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

/** One remembered project with its check against the mirror as it is now. */
export const projectSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(["folder", "upload"]),
  /** The folder (a folder project), or where an upload's files are kept in the data dir. */
  path: z.string(),
  clients: z.array(clientSchema),
  platforms: z.array(z.string()),
  reachable: z.array(z.string()),
  createdAt: isoTimeSchema,
  checkedAt: isoTimeSchema,
  status: projectStatusSchema,
  /** The clients and platforms the check used (the settings' when the project names none). */
  checkedFor: z.object({ clients: z.array(clientSchema), platforms: z.array(z.string()) }),
  checks: z.array(projectClientCheckSchema),
  /** The command that mirrors everything the project lacks (the CLI's equivalent of the Mirror button). */
  mirrorCommand: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

export const projectListSchema = z.object({ projects: z.array(projectSchema) });

/** One job item the project's mirror would run, with what it weighs when known. */
const projectPlanItemSchema = z.object({
  kind: z.enum(["provider-package", "module-version"]),
  label: z.string(),
  stored: z.boolean(),
  /** Bytes: exact when stored, the registry's figure or an estimate when not, null when unknown. */
  size: z.number().nullable(),
  /** Why the registry cannot give it (a platform it does not offer): the job would fail this item. */
  refusal: z.string().nullable(),
});

/** `POST /api/projects/:id/plan`: what mirroring the project would do, asked of the registries. */
export const projectPlanSchema = z.object({
  items: z.array(projectPlanItemSchema),
  totals: z.object({
    items: z.number().int(),
    stored: z.number().int(),
    /** Bytes of the items not stored whose size is known, and how many have no known size. */
    bytesToDownload: z.number(),
    unknownSizes: z.number().int(),
  }),
  remote: z.array(projectRemoteModuleSchema),
});
export type ProjectPlan = z.infer<typeof projectPlanSchema>;

/** `DELETE /api/projects/:id`: forgotten (an upload's files removed; a folder is never touched). */
export const removeProjectResponseSchema = z.object({ removed: z.number().int() });
