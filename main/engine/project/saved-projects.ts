import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseClients, type RegistryClient } from "../../core/clients.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { formatPlatform, parsePlatform, platformOf, type Platform } from "../../core/platform.js";
import { shellWord } from "../../core/shell-word.js";
import type { ProjectRecord, ProjectRepository, ProjectTargets } from "../../db/project-repository.js";
import type { JobRecord } from "../../db/job-rows.js";
import { isProcessAlive } from "../../store/process-alive.js";
import type { ProjectJobRequest } from "../job-requests.js";
import type { ClientCheck } from "./check-project.js";
import type { ProjectPlan } from "./plan-project-job.js";
import type { SizedPlanItem } from "./plan-sizes.js";
import { isConfigFileName } from "../module-tree.js";
import { holdsConfiguration } from "./find-root-modules.js";
import type { Projects } from "./projects.js";

/** Where uploaded projects' files live, under the data dir. */
const UPLOADS_DIR = "projects";

/** A project's check is kept this long for the same mirror, so a burst of page refreshes costs one walk. */
const CHECK_REUSE_MS = 1000;

/** What the saved-projects use cases are built from (the composition root supplies it). */
export interface SavedProjectsDependencies {
  readonly repository: ProjectRepository;
  readonly projects: Projects;
  readonly dataDir: string;
  /** Text for `--data-dir` in the commands a project shows, "" when the data dir is the default one. */
  readonly dataDirFlag: string;
  readonly defaultClients: () => readonly RegistryClient[];
  readonly mirrorGeneration: () => number;
  readonly planJob: (request: ProjectJobRequest, signal?: AbortSignal) => Promise<ProjectPlan>;
  readonly sizeItems: (items: ProjectPlan["items"]) => Promise<SizedPlanItem[]>;
  readonly createJob: (request: ProjectJobRequest, signal?: AbortSignal) => Promise<JobRecord>;
  /** A project was added, changed or removed (the UI refetches its list). */
  readonly changed: () => void;
}

/** A new project: a folder on this machine, or the files a browser uploaded. */
export type NewProject =
  | ({ readonly kind: "folder"; readonly path: string; readonly name?: string | undefined } & ProjectTargets)
  | ({
      readonly kind: "upload";
      readonly name: string;
      readonly files: readonly { readonly path: string; readonly content: string }[];
    } & ProjectTargets);

/** A project's plan with what each item weighs. */
export interface SizedProjectPlan {
  readonly items: readonly SizedPlanItem[];
  readonly remote: ProjectPlan["remote"];
}

/** A remembered project with its check against the mirror as it is now. */
export interface ProjectReport {
  readonly record: ProjectRecord;
  readonly checkedAt: string;
  readonly clients: readonly RegistryClient[];
  readonly platforms: readonly Platform[];
  readonly outcome:
    | { readonly kind: "checked"; readonly checks: readonly ClientCheck[] }
    | { readonly kind: "error"; readonly message: string };
  /** The CLI command that mirrors what the project lacks. */
  readonly mirrorCommand: string;
  /** ` --data-dir D` for the commands shown with it ("" for the default data dir). */
  readonly dataDirFlag: string;
}

/**
 * Projects remembered for the UI (issue 16): added as a folder or an upload, checked against the mirror whenever
 * they are looked at (so a check follows every change of the mirror and of the folder), planned and mirrored as
 * one job like `larder mirror project`.
 */
export class SavedProjects {
  private readonly reports = new Map<number, { key: string; at: number; report: Promise<ProjectReport> }>();

  constructor(private readonly deps: SavedProjectsDependencies) {}

  /** Every project, each checked now. */
  async list(): Promise<ProjectReport[]> {
    const reports: ProjectReport[] = [];
    for (const record of this.deps.repository.list()) reports.push(await this.report(record));
    return reports;
  }

  /** One project, checked now; not_found when there is none. */
  async get(id: number): Promise<ProjectReport> {
    return this.report(this.find(id));
  }

  /** Remembers a project; a folder must exist and hold configuration, an upload's files are kept in the data dir. */
  async add(project: NewProject): Promise<ProjectReport> {
    const targets = validTargets(project);
    if (project.kind === "folder") {
      const path = resolve(project.path);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isDirectory())
        throw new LarderError("invalid_input", `${path} is not a folder on the machine Larder runs on.`, {
          field: "path",
        });
      if (!(await holdsConfiguration(path)))
        throw new LarderError(
          "invalid_input",
          `${path} holds no .tf or .tf.json file of its own: name the folder you run init in.`,
          { field: "path" },
        );
      const record = this.deps.repository.insert({
        name: project.name ?? basename(path),
        kind: "folder",
        path,
        ...targets,
      });
      this.deps.changed();
      return this.report(record);
    }
    if (!project.files.some((file) => !file.path.includes("/") && isConfigFileName(file.path)))
      throw new LarderError(
        "invalid_input",
        "The upload has no .tf or .tf.json file at its top: choose the folder you run init in.",
        { field: "files" },
      );
    const path = await this.storeUpload(project.files);
    try {
      const record = this.deps.repository.insert({ name: project.name, kind: "upload", path, ...targets });
      this.deps.changed();
      return await this.report(record);
    } catch (error) {
      await rm(path, { recursive: true, force: true });
      throw error;
    }
  }

  /** Renames a project or changes what it is checked for. */
  async update(id: number, change: Partial<ProjectTargets & { name: string }>): Promise<ProjectReport> {
    this.find(id);
    const targets = validTargets({
      clients: change.clients ?? [],
      platforms: change.platforms ?? [],
      reachable: change.reachable ?? [],
    });
    const record = this.deps.repository.update(id, {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.clients === undefined ? {} : { clients: targets.clients }),
      ...(change.platforms === undefined ? {} : { platforms: targets.platforms }),
      ...(change.reachable === undefined ? {} : { reachable: targets.reachable }),
    });
    if (!record) throw notFound(id);
    this.deps.changed();
    return this.report(record);
  }

  /** Forgets a project; an upload's files are removed, a folder is never touched. */
  async remove(id: number): Promise<void> {
    const record = this.find(id);
    this.deps.repository.delete(id);
    this.reports.delete(id);
    if (record.kind === "upload") await rm(record.path, { recursive: true, force: true });
    this.deps.changed();
  }

  /**
   * What mirroring the project would do, with sizes: planned against the registries; nothing is stored but the
   * snapshots of git/HTTP modules the plan reads.
   */
  async plan(id: number, signal?: AbortSignal): Promise<SizedProjectPlan> {
    const plan = await this.deps.planJob(this.jobRequest(this.find(id)), signal);
    return { items: await this.deps.sizeItems(plan.items), remote: plan.remote };
  }

  /** Starts one job mirroring everything the project lacks, as `larder mirror project` does. */
  async mirror(id: number, signal?: AbortSignal): Promise<JobRecord> {
    return this.deps.createJob(this.jobRequest(this.find(id)), signal);
  }

  private find(id: number): ProjectRecord {
    const record = this.deps.repository.find(id);
    if (!record) throw notFound(id);
    return record;
  }

  private jobRequest(record: ProjectRecord): ProjectJobRequest {
    return {
      dirs: [record.path],
      platforms: this.platformsOf(record).map(formatPlatform),
      clients: [...this.clientsOf(record)],
    };
  }

  private clientsOf(record: ProjectRecord): readonly RegistryClient[] {
    return record.clients.length > 0 ? parseClients(record.clients) : this.deps.defaultClients();
  }

  private platformsOf(record: ProjectRecord): Platform[] {
    return record.platforms.length > 0
      ? record.platforms.map(parsePlatform)
      : [platformOf(process.platform, process.arch)];
  }

  /** The remembered project itself, without checking it. */
  record(id: number): ProjectRecord {
    return this.find(id);
  }

  /**
   * The project's report. The same mirror, settings and project asked again within a second, or while a check of
   * it runs (every open page refetches on the same event), share one walk.
   */
  private report(record: ProjectRecord): Promise<ProjectReport> {
    const key = JSON.stringify([this.deps.mirrorGeneration(), record, this.deps.defaultClients()]);
    const kept = this.reports.get(record.id);
    if (kept && kept.key === key && Date.now() - kept.at < CHECK_REUSE_MS) return kept.report;
    const report = this.check(record);
    this.reports.set(record.id, { key, at: Date.now(), report });
    // Kept from when it finishes, so a slow check is not followed at once by another.
    void report.then(
      () => {
        const entry = this.reports.get(record.id);
        if (entry?.report === report) this.reports.set(record.id, { ...entry, at: Date.now() });
      },
      () => this.reports.delete(record.id),
    );
    return report;
  }

  private async check(record: ProjectRecord): Promise<ProjectReport> {
    const clients = this.clientsOf(record);
    const platforms = this.platformsOf(record);
    const flags = `${clients.map((client) => ` --for ${client}`).join("")}${platforms.map((p) => ` --platform ${formatPlatform(p)}`).join("")}`;
    let outcome: ProjectReport["outcome"];
    try {
      const checks = await this.deps.projects.check(record.path, clients, platforms, record.reachable);
      outcome = { kind: "checked", checks };
    } catch (error) {
      outcome = { kind: "error", message: errorMessage(error) };
    }
    return {
      record,
      checkedAt: new Date().toISOString(),
      clients,
      platforms,
      outcome,
      mirrorCommand: `larder mirror project ${shellWord(record.path)}${flags}${this.deps.dataDirFlag}`,
      dataDirFlag: this.deps.dataDirFlag,
    };
  }

  /**
   * Writes an upload's files into a new folder under the data dir: staged beside it and renamed into place, so a
   * failure half-way leaves no project behind.
   */
  private async storeUpload(files: readonly { path: string; content: string }[]): Promise<string> {
    const root = join(this.deps.dataDir, UPLOADS_DIR);
    await mkdir(root, { recursive: true });
    await sweepLeftovers(root, new Set(this.deps.repository.list().map((record) => record.path)));
    const staging = join(root, `.staging-${process.pid}-${randomBytes(6).toString("hex")}`);
    const target = join(root, randomBytes(8).toString("hex"));
    try {
      for (const file of files) {
        const path = resolve(staging, file.path);
        // The schema already refuses `..` and absolute paths; this is the last line should it ever change.
        if (!path.startsWith(staging + "/") && !path.startsWith(staging + "\\"))
          throw new LarderError("invalid_input", `${file.path} is outside the project.`, { field: "files" });
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.content, { flag: "wx" });
      }
      await rename(staging, target);
      return target;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (error instanceof LarderError) throw error;
      if (error instanceof Error && "code" in error && error.code === "EEXIST")
        throw new LarderError("invalid_input", "The upload names one file twice.", { field: "files" });
      throw new LarderError("storage_failed", `Could not keep the uploaded project: ${errorMessage(error)}`);
    }
  }
}

/** Refuses clients and platforms Larder does not know, naming the field. */
function validTargets(targets: ProjectTargets): ProjectTargets {
  try {
    parseClients(targets.clients);
  } catch (error) {
    throw new LarderError("invalid_input", errorMessage(error), { field: "clients" });
  }
  try {
    targets.platforms.forEach(parsePlatform);
  } catch (error) {
    throw new LarderError("invalid_input", errorMessage(error), { field: "platforms" });
  }
  return {
    clients: [...new Set(targets.clients)],
    platforms: [...new Set(targets.platforms)],
    reachable: [...new Set(targets.reachable.map((host) => host.toLowerCase()))],
  };
}

/** A staging folder or an unreferenced upload older than this is a crash's leftover, whoever made it. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

/**
 * Removes what a crash left under `projects/`: staging folders of a dead process (or older than an hour: a pid
 * may be reused), and upload folders no project row names that are older than an hour (renamed into place just
 * before the process died).
 */
async function sweepLeftovers(root: string, referenced: ReadonlySet<string>): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(root).catch(() => [])) {
    const path = join(root, name);
    const age = now - ((await stat(path).catch(() => undefined))?.mtimeMs ?? now);
    const pid = /^\.staging-(\d+)-/.exec(name)?.[1];
    const leftover =
      pid !== undefined
        ? !isProcessAlive(Number(pid)) || age > LEFTOVER_AGE_MS
        : !referenced.has(path) && age > LEFTOVER_AGE_MS;
    if (leftover) await rm(path, { recursive: true, force: true });
  }
}

function notFound(id: number): LarderError {
  return new LarderError("not_found", `There is no project ${id}.`);
}
