import type { Command } from "commander";
import { LarderError } from "../../core/errors.js";
import type { ControlAction } from "../../db/job-control-repository.js";
import type { Larder } from "../../engine/larder.js";
import { auditCli, collect, openLarderFor, type CommonOptions } from "../cli-context.js";
import { runJobInForeground } from "../job-foreground.js";
import { formatJobItems, formatJobList, itemJson, jobJson } from "../job-format.js";
import { createMirrorProgress } from "../mirror-progress.js";
import { moduleProgressLines } from "../module-progress.js";

/** Job reports load when a command runs: they pull in zod, which starting `larder` need not pay for. */
const jobReports = () => import("../../engine/job-reports.js");

interface JobsOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
}

interface ControlOptions {
  readonly dataDir?: string;
  readonly upstream?: string[];
  readonly item?: string;
}

const DATA_DIR_HELP = "data directory (default: $LARDER_DATA_DIR or the platform's user data dir)";

/** `larder jobs …`: lists mirror jobs and pauses, resumes, cancels or retries them, from any shell. */
export function registerJobs(program: Command): void {
  const jobs = program
    .command("jobs")
    .description(
      "List mirror jobs; show, pause, resume, cancel or retry one (also while another process runs it)",
    )
    .option("--json", "print JSON instead of a table")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: JobsOptions) => {
      await withLarder(options, (larder) => {
        const list = larder.jobs.list();
        if (options.json) process.stdout.write(`${JSON.stringify(list.map(jobJson), null, 2)}\n`);
        else process.stdout.write(formatJobList(list));
        return Promise.resolve();
      });
    });
  jobs
    .command("show")
    .description("Show a job's items with their states, bytes and failure reasons")
    .argument("<id>", "job id, as printed by larder mirror and larder jobs")
    .option("--json", "print JSON instead of a table")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (id: string, options: JobsOptions) => {
      await withLarder(options, (larder) => {
        const { job, items } = larder.jobs.show(parseId(id, "job id"));
        if (options.json)
          process.stdout.write(
            `${JSON.stringify({ job: jobJson(job), items: items.map(itemJson) }, null, 2)}\n`,
          );
        else process.stdout.write(formatJobItems(job, items));
        return Promise.resolve();
      });
    });
  const descriptions: Record<ControlAction, string> = {
    resume:
      "Resume paused or interrupted items, continuing from the bytes kept (runs here unless another process runs the job)",
    pause: "Pause a job or one item; its transfers stop at once and the bytes received are kept",
    cancel: "Cancel a job or one item; its transfers stop at once",
    retry: "Queue failed or cancelled items again and run them (here unless another process runs the job)",
  };
  for (const action of ["resume", "pause", "cancel", "retry"] as const) {
    const command = jobs.command(action);
    // Resume and retry run the job here; like mirror, they reach upstream hosts through the overrides.
    if (action === "resume" || action === "retry")
      command
        .option(
          "--upstream <HOST=URL>",
          "reach registry HOST at URL (repeatable; also $LARDER_UPSTREAMS)",
          collect,
        )
        .option(
          "--require-signatures",
          "refuse keyless providers that tofu would accept unsigned (also LARDER_REQUIRE_SIGNATURES=1)",
        );
    command
      .description(descriptions[action])
      .argument("<id>", "job id")
      .option("--item <item-id>", "only this item (see larder jobs show ID)")
      .option("--data-dir <dir>", DATA_DIR_HELP)
      .action(async (id: string, options: ControlOptions) => {
        const jobId = parseId(id, "job id");
        const itemId = options.item === undefined ? undefined : parseId(options.item, "item id");
        const target = itemId === undefined ? `job ${jobId}` : `item ${itemId} of job ${jobId}`;
        await withLarder(options, (larder) =>
          auditCli(larder, `job.${action}`, target, () => control(larder, action, jobId, itemId)),
        );
      });
  }
}

async function control(
  larder: Larder,
  action: ControlAction,
  jobId: number,
  itemId: number | undefined,
): Promise<void> {
  const target = itemId === undefined ? `job ${jobId}` : `item ${itemId} of job ${jobId}`;
  let owner: number | undefined;
  try {
    const result = larder.jobs.control(jobId, action, itemId);
    owner = result.owner?.pid;
    if (result.waiting > 0) {
      process.stderr.write(
        `Asking process ${owner ?? "?"} to ${action} ${result.waiting} running item(s)…\n`,
      );
      await larder.jobs.waitForOwner(jobId, itemId);
    }
  } catch (error) {
    // Items a killed process left behind are queued again on open; resuming them means running them.
    const queued = larder.jobs.show(jobId).job.items.queued;
    if (!(action === "resume" && error instanceof LarderError && error.code === "conflict" && queued > 0))
      throw error;
    owner = larder.jobs.ownerOf(jobId);
  }
  if (action === "pause" || action === "cancel") {
    const { job } = larder.jobs.show(jobId);
    process.stdout.write(
      `${action === "pause" ? "Paused" : "Cancelled"} ${target}; job ${jobId} is ${job.state.status}.\n`,
    );
    return;
  }
  if (owner !== undefined) {
    process.stdout.write(`Process ${owner} is running job ${jobId}; it picks up the ${action}d item(s).\n`);
    return;
  }
  await runHere(larder, jobId);
}

/** Runs a resumed or retried job in this process, with the mirror's progress display. */
async function runHere(larder: Larder, jobId: number): Promise<void> {
  const progress = createMirrorProgress(process.stderr);
  try {
    const result = await runJobInForeground(larder, jobId, {
      onMirrorEvent: progress.onEvent,
      onModuleEvent: moduleProgressLines(process.stderr),
    });
    progress.finish();
    const failed = result.items.flatMap((item) =>
      item.state.status === "failed" ? [item.state.reason] : [],
    );
    process.stdout.write(
      `Job ${jobId} ${result.state.status}: stored ${result.stored}, already present ${result.alreadyStored}, failed ${failed.length}.\n`,
    );
    (await jobReports()).throwIfStopped(result);
    if (result.state.status === "failed") throw new LarderError("verification_failed", result.state.reason);
  } finally {
    progress.finish();
  }
}

async function withLarder(options: CommonOptions, work: (larder: Larder) => Promise<void>): Promise<void> {
  const larder = await openLarderFor(options);
  try {
    await work(larder);
  } finally {
    larder.close();
  }
}

function parseId(raw: string, what: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
    throw new LarderError("invalid_input", `Invalid ${what} "${raw}": use the number larder jobs shows.`);
  }
  return id;
}
