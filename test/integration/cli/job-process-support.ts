// Helpers for tests that drive `larder mirror` as a child process and control its job from another one.
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { cliEnv, LARDER_BIN, runLarder, type CliResult } from "../../helpers/larder-cli.js";

/** Bytes in `tmp/*.part` files (the resumable partial downloads). */
export async function partialBytes(dataDir: string): Promise<number> {
  const names = (await readdir(join(dataDir, "tmp")).catch(() => [])).filter((name) =>
    name.endsWith(".part"),
  );
  const sizes = await Promise.all(
    names.map(async (name) => (await stat(join(dataDir, "tmp", name)).catch(() => ({ size: 0 }))).size),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** A `larder …` child whose output is collected, with its job id once printed. */
export interface LarderChild {
  readonly child: ChildProcess;
  /** Resolves with the job id from the "Job N: …" line. */
  readonly jobId: Promise<number>;
  readonly exited: Promise<CliResult & { readonly signal: NodeJS.Signals | null }>;
}

/** Starts `larder ARGS…` in the background. */
export function startLarder(args: readonly string[]): LarderChild {
  const child = spawn(process.execPath, [LARDER_BIN, ...args], {
    env: cliEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let found: (id: number) => void = () => undefined;
  const jobId = new Promise<number>((resolve) => (found = resolve));
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    const id = /^Job (\d+): /m.exec(stderr)?.[1];
    if (id !== undefined) found(Number(id));
  });
  const exited = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, jobId, exited };
}

/** `larder jobs --json` as the test expects it. */
export const jobListSchema = z.array(
  z
    .object({
      id: z.number(),
      kind: z.enum(["mirror-provider", "mirror-module"]),
      what: z.string(),
      state: z.enum(["queued", "running", "paused", "succeeded", "failed", "cancelled"]),
      reason: z.string().optional(),
      items: z.object({
        total: z.number(),
        queued: z.number(),
        running: z.number(),
        paused: z.number(),
        succeeded: z.number(),
        failed: z.number(),
        cancelled: z.number(),
      }),
      bytesDone: z.number(),
      bytesTotal: z.number().nullable(),
      ownerPid: z.number().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .strict(),
);

/** `larder jobs show ID --json` as the test expects it. */
export const jobShowSchema = z.object({
  job: jobListSchema.element,
  items: z.array(
    z
      .object({
        id: z.number(),
        kind: z.enum(["provider-package", "module-version"]),
        item: z.string(),
        state: z.string(),
        reason: z.string().optional(),
        interrupted: z.boolean(),
        requested: z.string().nullable(),
        bytesDone: z.number(),
        bytesTotal: z.number().nullable(),
        startedAt: z.string().nullable(),
        finishedAt: z.string().nullable(),
      })
      .strict(),
  ),
});

/** Runs `larder jobs show ID --json`. */
export async function showJob(dataDir: string, id: number): Promise<z.infer<typeof jobShowSchema>> {
  const result = await runLarder(["jobs", "show", String(id), "--json", "--data-dir", dataDir]);
  if (result.code !== 0) throw new Error(`jobs show failed: ${result.stderr}`);
  return jobShowSchema.parse(JSON.parse(result.stdout));
}

/** Runs `larder jobs --json`. */
export async function listJobs(dataDir: string): Promise<z.infer<typeof jobListSchema>> {
  const result = await runLarder(["jobs", "--json", "--data-dir", dataDir]);
  if (result.code !== 0) throw new Error(`jobs failed: ${result.stderr}`);
  return jobListSchema.parse(JSON.parse(result.stdout));
}
