import { CircleAlert, CircleCheck, CircleX } from "lucide-react";
import type { ProjectStatus } from "../../../shared/api/projects.js";

/** How a project stands, as a badge: works offline (green), N missing (red), or could not be read. */
export function ProjectStatusBadge(props: { readonly status: ProjectStatus }) {
  const { status } = props;
  switch (status.state) {
    case "ok":
      return (
        <span className="badge ok project-badge">
          <CircleCheck size={14} aria-hidden="true" /> Works offline
        </span>
      );
    case "missing":
      return (
        <span className="badge danger project-badge">
          <CircleX size={14} aria-hidden="true" /> {status.problems} missing
        </span>
      );
    case "error":
      return (
        <span className="badge danger project-badge">
          <CircleAlert size={14} aria-hidden="true" /> Cannot be read
        </span>
      );
    default: {
      const never: never = status;
      return never;
    }
  }
}
