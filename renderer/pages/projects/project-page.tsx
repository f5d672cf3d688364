import { ArrowLeft, DownloadCloud, FolderX, ListChecks } from "lucide-react";
import { useEffect } from "react";
import { Link, useParams } from "react-router";
import type { Project } from "../../../shared/api/projects.js";
import { formatAgo, formatDateTime } from "../../components/format.js";
import { PageHeader } from "../../components/page-header.js";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { selectProject, useProjects } from "../../state/projects.js";
import "../../styles/ops.css";
import { ClientChecks } from "./client-checks.js";
import { CommandLine } from "./command-line.js";
import { MirrorOutcomeNote } from "./mirror-outcome.js";
import { MissingCard } from "./missing-card.js";
import { PlanCard } from "./plan-card.js";
import { checkedForText } from "./project-list.js";
import { ProjectSettingsCard } from "./project-settings-card.js";
import { ProjectStatusBadge } from "./project-status-badge.js";
import { RemoveProjectButton } from "./remove-project-dialog.js";
import "./projects.css";

function headline(project: Project): string {
  const { status } = project;
  switch (status.state) {
    case "ok":
      return "init works offline: everything it installs is stored";
    case "missing":
      return `init would fail offline: ${status.problems} ${status.problems === 1 ? "thing" : "things"} missing`;
    case "error":
      return "Larder cannot read this project";
  }
}

/** The verdict: the badge, what it was checked for and when, and the CLI command doing what Mirror does. */
function StatusCard(props: { readonly project: Project }) {
  const { project } = props;
  return (
    <section className="card stack" aria-labelledby="status-title">
      <div className="row status-head">
        <ProjectStatusBadge status={project.status} />
        <h2 id="status-title">{headline(project)}</h2>
      </div>
      {project.status.state === "error" ? (
        <p className="failure-reason" role="alert">
          {project.status.message}
        </p>
      ) : null}
      <p className="muted small">
        Checked for {checkedForText(project)},{" "}
        <time dateTime={project.checkedAt} title={formatDateTime(project.checkedAt)}>
          {formatAgo(project.checkedAt)}
        </time>
        {project.reachable.length > 0 ? `; init can reach ${project.reachable.join(", ")}` : ""}. Checked
        again whenever the mirror changes.
      </p>
      <div className="stack tight">
        <span className="field-label">From the command line</span>
        <CommandLine command={project.mirrorCommand} copyLabel="Copy the command that mirrors the project" />
      </div>
    </section>
  );
}

function ProjectDetail(props: { readonly project: Project }) {
  const { project } = props;
  const plan = useProjects((s) => s.plans[project.id]);
  const mirror = useProjects((s) => s.mirrors[project.id]);
  const planProject = useProjects((s) => s.plan);
  const mirrorProject = useProjects((s) => s.mirror);
  // Nothing to fetch when everything is stored; nothing can be planned from files that do not parse.
  const mirrorBlocked =
    project.status.state === "ok"
      ? "Everything init installs is stored"
      : project.status.state === "error"
        ? "Larder cannot read the project: see why below"
        : undefined;
  return (
    <>
      <PageHeader
        title={project.name}
        subtitle={
          project.kind === "upload" ? (
            <>
              Uploaded from a browser; the copy is kept at <span className="mono break">{project.path}</span>
            </>
          ) : (
            <span className="mono break">{project.path}</span>
          )
        }
        actions={
          <>
            <button
              type="button"
              className="button"
              disabled={plan?.state === "running"}
              onClick={() => void planProject(project.id)}
            >
              <ListChecks size={16} aria-hidden="true" />
              {plan?.state === "running" ? "Planning…" : "Plan"}
            </button>
            <button
              type="button"
              className="button primary"
              disabled={mirror?.state === "starting" || mirrorBlocked !== undefined}
              title={mirrorBlocked}
              onClick={() => void mirrorProject(project.id)}
            >
              <DownloadCloud size={16} aria-hidden="true" />
              {mirror?.state === "starting" ? "Starting…" : "Mirror"}
            </button>
          </>
        }
      />
      <MirrorOutcomeNote outcome={mirror} />
      <StatusCard project={project} />
      {plan !== undefined ? (
        <PlanCard outcome={plan} onPlanAgain={() => void planProject(project.id)} />
      ) : null}
      <MissingCard project={project} />
      <ClientChecks checks={project.checks} />
      <ProjectSettingsCard key={project.id} project={project} />
      <section className="card row spread" aria-labelledby="remove-title">
        <div>
          <h2 id="remove-title">Remove</h2>
          <p className="muted small">Forget this project. Nothing stored in the mirror is deleted.</p>
        </div>
        <RemoveProjectButton project={project} />
      </section>
    </>
  );
}

/** One project: whether init works offline, what is missing and how to fix it, Plan, Mirror, edit, remove. */
export function ProjectPage() {
  const { id = "" } = useParams();
  const projectId = /^\d+$/.test(id) ? Number(id) : -1;
  const project = useProjects(selectProject(projectId));
  const loaded = useProjects((s) => s.projects !== null);
  const error = useProjects((s) => s.error);
  const load = useProjects((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="page">
      <Link to="/projects" className="back-link">
        <ArrowLeft size={16} aria-hidden="true" /> All projects
      </Link>
      {project !== undefined ? (
        <>
          {error !== null ? (
            <div className="banner danger wrap" role="alert">
              Could not check the project again: {error}
            </div>
          ) : null}
          <ProjectDetail project={project} />
        </>
      ) : error !== null && !loaded ? (
        <>
          <PageHeader title="Project" />
          <ErrorState title="Could not load the project" message={error} onRetry={() => void load()} />
        </>
      ) : !loaded ? (
        <>
          <PageHeader title="Project" />
          <section className="card">
            <LoadingRows label="Checking the project" />
          </section>
        </>
      ) : (
        <>
          <PageHeader title="Project" />
          <section className="card">
            <EmptyState
              icon={FolderX}
              title="No such project"
              action={
                <Link className="button primary" to="/projects">
                  See all projects
                </Link>
              }
            >
              It was removed, or the link is wrong.
            </EmptyState>
          </section>
        </>
      )}
    </div>
  );
}
