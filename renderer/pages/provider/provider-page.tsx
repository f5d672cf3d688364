import { useParams } from "react-router";
import { PageHeader } from "../../components/page-header.js";

/** One provider: versions, platforms, what is stored (built out by its page's change, issue 13). */
export function ProviderPage() {
  const { host = "", namespace = "", type = "" } = useParams();
  return (
    <div className="page">
      <PageHeader title={`${namespace}/${type}`} subtitle={host} />
    </div>
  );
}
