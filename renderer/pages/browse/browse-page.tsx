import { PageHeader } from "../../components/page-header.js";

/** Browse: built out by its page's change (issue 13). */
export function BrowsePage() {
  return (
    <div className="page">
      <PageHeader title="Browse" subtitle="Search the registries for providers and modules to mirror." />
    </div>
  );
}
