import { PageHeader } from "../../components/page-header.js";

/** Downloads: built out by its page's change (issue 13). */
export function DownloadsPage() {
  return (
    <div className="page">
      <PageHeader title="Downloads" subtitle="Jobs that fetch providers and modules into the mirror." />
    </div>
  );
}
