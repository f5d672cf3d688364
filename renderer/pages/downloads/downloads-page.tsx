import { Download } from "lucide-react";
import { useEffect } from "react";
import { Link } from "react-router";
import { PageHeader } from "../../components/page-header.js";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { useJobs } from "../../state/jobs.js";
import { JobCard } from "./job-card.js";
import { isFinished } from "./state-badge.js";
import "./downloads.css";

/** Downloads: live jobs first, finished ones below as history, each with its items and controls. */
export function DownloadsPage() {
  const jobs = useJobs((s) => s.jobs);
  const error = useJobs((s) => s.error);
  const load = useJobs((s) => s.load);
  useEffect(() => {
    void load();
  }, [load]);
  const active = (jobs ?? []).filter((job) => !isFinished(job.state));
  const history = (jobs ?? []).filter((job) => isFinished(job.state));
  return (
    <div className="page">
      <PageHeader title="Downloads" subtitle="Jobs that fetch providers and modules into the mirror." />
      {error !== null && jobs === null ? (
        <ErrorState title="Could not load downloads" message={error} onRetry={() => void load()} />
      ) : jobs === null ? (
        <LoadingRows label="Loading downloads" />
      ) : jobs.length === 0 ? (
        <EmptyState
          icon={Download}
          title="No downloads yet — find something on Browse"
          action={
            <Link className="button primary" to="/browse">
              Go to Browse
            </Link>
          }
        >
          Pick a provider or module there and press Mirror; its download shows up here.
        </EmptyState>
      ) : (
        <>
          {error !== null ? (
            <div className="banner danger" role="alert">
              Could not refresh downloads: {error}
            </div>
          ) : null}
          <section className="stack" aria-labelledby="downloads-active">
            <h2 id="downloads-active">Active</h2>
            {active.length === 0 ? (
              <p className="muted">Nothing is downloading right now.</p>
            ) : (
              active.map((job) => <JobCard key={job.id} job={job} />)
            )}
          </section>
          {history.length > 0 ? (
            <section className="stack" aria-labelledby="downloads-history">
              <h2 id="downloads-history">History</h2>
              {history.map((job) => (
                <JobCard key={job.id} job={job} />
              ))}
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
