import { PageHeader } from "../../components/page-header.js";

/** Connect: built out by its page's change (issue 13). */
export function ConnectPage() {
  return (
    <div className="page">
      <PageHeader title="Connect" subtitle="Point terraform and tofu at this mirror." />
    </div>
  );
}
