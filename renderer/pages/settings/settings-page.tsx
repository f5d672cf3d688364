import { PageHeader } from "../../components/page-header.js";

/** Settings: built out by its page's change (issue 13). */
export function SettingsPage() {
  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="Upstream registries, clients, pull-through and limits." />
    </div>
  );
}
