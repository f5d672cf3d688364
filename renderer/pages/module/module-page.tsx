import { useParams } from "react-router";
import { PageHeader } from "../../components/page-header.js";

/** One module: versions, README, dependencies (built out by its page's change, issue 13). */
export function ModulePage() {
  const { host = "", namespace = "", name = "", system = "" } = useParams();
  return (
    <div className="page">
      <PageHeader title={`${namespace}/${name}/${system}`} subtitle={host} />
    </div>
  );
}
