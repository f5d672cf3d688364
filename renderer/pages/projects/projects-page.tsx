import { FolderSearch } from "lucide-react";
import { useEffect } from "react";
import { PageHeader } from "../../components/page-header.js";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { useProjects } from "../../state/projects.js";
import "../../styles/ops.css";
import { AddProjectCard } from "./add-project-card.js";
import { ProjectList } from "./project-list.js";
import "./projects.css";

/** Projects: the repositories a person works on, each checked against the mirror — would init work offline? */
export function ProjectsPage() {
  const projects = useProjects((s) => s.projects);
  const error = useProjects((s) => s.error);
  const load = useProjects((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <div className="page">
      <PageHeader
        title="Projects"
        subtitle="Add the folders you run terraform init in, and see whether init would work with no internet."
      />
      {error !== null && projects === null ? (
        <ErrorState title="Could not load the projects" message={error} onRetry={() => void load()} />
      ) : projects === null ? (
        <section className="card">
          <LoadingRows label="Loading projects" />
        </section>
      ) : (
        <>
          {error !== null ? (
            <div className="banner danger wrap" role="alert">
              Could not refresh the projects: {error}
            </div>
          ) : null}
          {projects.length === 0 ? (
            <section className="card">
              <EmptyState icon={FolderSearch} title="No projects yet">
                A project is a folder of Terraform or OpenTofu configuration — the folder you run{" "}
                <code>terraform init</code> in. Add one below: Larder reads its providers, modules and lock
                file, tells you what the mirror still lacks for init to work offline, and mirrors it in one
                job.
              </EmptyState>
            </section>
          ) : (
            <ProjectList projects={projects} />
          )}
        </>
      )}
      <AddProjectCard />
    </div>
  );
}
