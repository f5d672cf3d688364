import { PageHeader } from "../../components/page-header.js";

/** Bundles: built out by its page's change (issue 13). */
export function BundlesPage() {
  return (
    <div className="page">
      <PageHeader
        title="Bundles"
        subtitle="Carry the mirror to an air-gapped network, and check what arrives."
      />
    </div>
  );
}
