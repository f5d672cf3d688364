import { PageHeader } from "../../components/page-header.js";

/** Mirror: built out by its page's change (issue 13). */
export function MirrorPage() {
  return (
    <div className="page">
      <PageHeader title="Mirror" subtitle="What this mirror stores and serves." />
    </div>
  );
}
