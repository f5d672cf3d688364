import { PageHeader } from "../../components/page-header.js";

/** Activity: built out by its page's change (issue 13). */
export function ActivityPage() {
  return (
    <div className="page">
      <PageHeader title="Activity" subtitle="Who changed what, and when." />
    </div>
  );
}
