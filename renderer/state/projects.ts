import { create } from "zustand";
import type { JobState } from "../../shared/api/jobs.js";
import type {
  AddProjectRequest,
  Project,
  ProjectPlan,
  UpdateProjectRequest,
} from "../../shared/api/projects.js";
import { AdminApiError, api, messageOf } from "../api/client.js";
import { onApiEvent } from "./api-events.js";

/**
 * Field → message, from a 400's `fields`, keyed by the request's top-level field (`platforms.1` → `platforms`,
 * `files.3.path` → `files`), so each message shows at the input that holds it.
 */
export type FieldErrors = Readonly<Record<string, string>>;

function fieldsOf(error: unknown): FieldErrors {
  if (!(error instanceof AdminApiError)) return {};
  const fields: Record<string, string> = {};
  for (const field of error.fields) {
    const key = field.path.replace(/^body\./, "").split(".")[0] ?? "";
    fields[key] = key in fields ? `${fields[key] ?? ""} ${field.message}` : field.message;
  }
  return fields;
}

/** One add or save: under way, or refused with the message and the fields it names. */
export type Submission =
  | { readonly state: "idle" }
  | { readonly state: "saving" }
  | { readonly state: "saved" }
  | { readonly state: "failed"; readonly message: string; readonly fields: FieldErrors };

/** A plan asked of the registries: under way, its answer (stale once the mirror changed), or its failure. */
export type PlanOutcome =
  | { readonly state: "running" }
  | { readonly state: "done"; readonly plan: ProjectPlan; readonly stale: boolean }
  | { readonly state: "failed"; readonly message: string };

/** The Mirror button's job: starting, started (with the job's state once known), or refused. */
export type MirrorOutcome =
  | { readonly state: "starting" }
  | { readonly state: "started"; readonly jobId: number; readonly job: JobState | null }
  | { readonly state: "failed"; readonly message: string };

const IDLE: Submission = { state: "idle" };

/**
 * The Projects page: remembered projects, each with its check against the mirror as it is now. The list is
 * refetched on `projects` events (added, changed, removed) and on `inventory` events (the mirror changed, so
 * every check may have), which is how a badge turns green when a mirror job finishes.
 */
export interface ProjectsState {
  readonly projects: readonly Project[] | null;
  /** The last load's failure; the list already loaded stays shown beside it. */
  readonly error: string | null;
  readonly adding: Submission;
  /** The last save of each project's targets, by id. */
  readonly saves: Readonly<Record<number, Submission>>;
  readonly plans: Readonly<Record<number, PlanOutcome>>;
  readonly mirrors: Readonly<Record<number, MirrorOutcome>>;
  readonly load: () => Promise<void>;
  /** Resolves to the added project (checked), or null when refused: `adding` says why. */
  readonly add: (request: AddProjectRequest) => Promise<Project | null>;
  readonly resetAdding: () => void;
  readonly update: (id: number, update: UpdateProjectRequest) => Promise<boolean>;
  /** Resolves to null once removed, or the reason in full. */
  readonly remove: (id: number) => Promise<string | null>;
  readonly plan: (id: number) => Promise<void>;
  readonly mirror: (id: number) => Promise<void>;
}

/** A project by id from the loaded list (undefined while loading or when there is none). */
export const selectProject =
  (id: number) =>
  (state: ProjectsState): Project | undefined =>
    state.projects?.find((project) => project.id === id);

/** The Projects store's one list load at a time: events arriving meanwhile ask for one more, not one each. */
let inFlight: Promise<void> | null = null;
let asked = 0;

function withProject(projects: readonly Project[] | null, next: Project): readonly Project[] {
  const list = projects ?? [];
  return list.some((project) => project.id === next.id)
    ? list.map((project) => (project.id === next.id ? next : project))
    : [...list, next];
}

function without<T>(record: Readonly<Record<number, T>>, key: number): Record<number, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== String(key)));
}

export const useProjects = create<ProjectsState>()((set, get) => ({
  projects: null,
  error: null,
  adding: IDLE,
  saves: {},
  plans: {},
  mirrors: {},
  load: () => {
    asked += 1;
    if (inFlight !== null) return inFlight;
    inFlight = (async () => {
      let answered: number;
      do {
        answered = asked;
        try {
          const { projects } = await api.projects();
          set({ projects, error: null });
        } catch (error) {
          set({ error: messageOf(error) });
        }
      } while (answered !== asked);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  },
  add: async (request) => {
    set({ adding: { state: "saving" } });
    try {
      const project = await api.addProject(request);
      set({ adding: { state: "saved" }, projects: withProject(get().projects, project) });
      return project;
    } catch (error) {
      set({ adding: { state: "failed", message: messageOf(error), fields: fieldsOf(error) } });
      return null;
    }
  },
  resetAdding: () => {
    set({ adding: IDLE });
  },
  update: async (id, update) => {
    set({ saves: { ...get().saves, [id]: { state: "saving" } } });
    try {
      const project = await api.updateProject(id, update);
      set({
        projects: withProject(get().projects, project),
        saves: { ...get().saves, [id]: { state: "saved" } },
        // What the plan was for changed with the targets.
        plans: without(get().plans, id),
      });
      return true;
    } catch (error) {
      set({
        saves: {
          ...get().saves,
          [id]: { state: "failed", message: messageOf(error), fields: fieldsOf(error) },
        },
      });
      return false;
    }
  },
  remove: async (id) => {
    try {
      await api.removeProject(id);
      set({
        projects: (get().projects ?? []).filter((project) => project.id !== id),
        plans: without(get().plans, id),
        mirrors: without(get().mirrors, id),
        saves: without(get().saves, id),
      });
      return null;
    } catch (error) {
      return messageOf(error);
    }
  },
  plan: async (id) => {
    set({ plans: { ...get().plans, [id]: { state: "running" } } });
    let outcome: PlanOutcome;
    try {
      outcome = { state: "done", plan: await api.planProject(id), stale: false };
    } catch (error) {
      outcome = { state: "failed", message: messageOf(error) };
    }
    set({ plans: { ...get().plans, [id]: outcome } });
  },
  mirror: async (id) => {
    const put = (outcome: MirrorOutcome): void => {
      set({ mirrors: { ...get().mirrors, [id]: outcome } });
    };
    put({ state: "starting" });
    let jobId: number;
    try {
      jobId = (await api.mirrorProject(id)).id;
    } catch (error) {
      put({ state: "failed", message: messageOf(error) });
      return;
    }
    put({ state: "started", jobId, job: null });
    // A small job can finish before the answer above arrives, its events already gone: ask once for its state.
    try {
      const { job } = await api.job(jobId);
      const now = get().mirrors[id];
      if (now?.state === "started" && now.jobId === jobId && now.job === null)
        put({ state: "started", jobId, job: job.state });
    } catch {
      // The job's events still say how it goes; Downloads has it in full.
    }
  },
}));

/** A `job` event for a job a Mirror button started moves that project's outcome on. */
function followJob(jobId: number, state: JobState): void {
  const mirrors = useProjects.getState().mirrors;
  for (const [id, outcome] of Object.entries(mirrors)) {
    if (outcome.state === "started" && outcome.jobId === jobId)
      useProjects.setState({ mirrors: { ...mirrors, [id]: { ...outcome, job: state } } });
  }
}

/** The mirror changed: plans already shown may now count as stored what they said was to download. */
function markPlansStale(): void {
  const plans = useProjects.getState().plans;
  const next = Object.fromEntries(
    Object.entries(plans).map(([id, outcome]) => [
      id,
      outcome.state === "done" ? { ...outcome, stale: true } : outcome,
    ]),
  );
  useProjects.setState({ plans: next });
}

onApiEvent((event) => {
  switch (event.type) {
    case "job":
      followJob(event.job, event.state);
      return;
    case "inventory":
      markPlansStale();
      break;
    case "projects":
    case "resync":
    case "settings":
      // (settings: a project that names no clients is checked for the settings' clients.)
      break;
    case "job-item":
    case "progress":
    case "catalog":
    case "bundle":
    case "server":
      return;
  }
  // Only a window that opened Projects refetches: the list re-checks every project, which is not free.
  if (useProjects.getState().projects !== null) void useProjects.getState().load();
});
