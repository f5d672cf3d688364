import { FolderGit2, Upload } from "lucide-react";
import { Link } from "react-router";
import type { Project } from "../../../shared/api/projects.js";
import { formatAgo, formatDateTime } from "../../components/format.js";
import { ProjectStatusBadge } from "./project-status-badge.js";

/** "terraform and tofu on linux_amd64, darwin_arm64": what a check covered. */
export function checkedForText(project: Project): string {
  const clients = project.checkedFor.clients.join(" and ");
  const platforms = project.checkedFor.platforms.join(", ");
  return `${clients || "no client"} on ${platforms || "no platform"}`;
}

function ProjectRow(props: { readonly project: Project }) {
  const { project } = props;
  const Icon = project.kind === "upload" ? Upload : FolderGit2;
  return (
    <li className="project-row">
      <Icon size={18} aria-hidden="true" className="project-row-icon" />
      <div className="project-row-main">
        <Link to={`/projects/${project.id}`} className="project-name">
          {project.name}
        </Link>
        {project.kind === "upload" ? (
          <span className="small muted">Uploaded from a browser (a copy in Larder's data folder)</span>
        ) : (
          <span className="mono small muted break">{project.path}</span>
        )}
        {project.status.state === "error" ? (
          <span className="field-error break">{project.status.message}</span>
        ) : null}
      </div>
      <div className="project-row-facts small">
        <span>For {checkedForText(project)}</span>
        <span className="muted">
          Checked{" "}
          <time dateTime={project.checkedAt} title={formatDateTime(project.checkedAt)}>
            {formatAgo(project.checkedAt)}
          </time>
        </span>
      </div>
      <ProjectStatusBadge status={project.status} />
    </li>
  );
}

/** Every remembered project with its standing, each linking to its page. */
export function ProjectList(props: { readonly projects: readonly Project[] }) {
  return (
    <section className="card stack" aria-labelledby="project-list-title">
      <h2 id="project-list-title">Projects ({props.projects.length})</h2>
      <ul className="project-list" aria-labelledby="project-list-title">
        {props.projects.map((project) => (
          <ProjectRow key={project.id} project={project} />
        ))}
      </ul>
    </section>
  );
}
