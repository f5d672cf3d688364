import { Search } from "lucide-react";
import { useCatalog, type CatalogQuery } from "../../state/catalog.js";

/** The tiers the public registries give their entries; "Any tier" leaves it out. */
const TIERS = ["official", "partner", "community"];

/** The search box and its filters; the box's text is the page's until it pauses, the filters apply at once. */
export function SearchBar(props: {
  readonly text: string;
  readonly onText: (text: string) => void;
  readonly query: CatalogQuery;
  readonly onChange: (change: Partial<CatalogQuery>) => void;
}) {
  const refreshedAt = useCatalog((s) => s.refreshedAt);
  // The registries the server knows: the hosts it reports refresh times for, plus one picked from a link.
  const registries = [...new Set([...Object.keys(refreshedAt), props.query.registry])].filter(Boolean).sort();
  return (
    <div role="search" className="card browse-search" aria-label="Catalog search">
      <div className="browse-search-box">
        <Search size={18} aria-hidden="true" />
        <input
          type="search"
          className="input"
          aria-label="Search registries"
          placeholder="aws, hashicorp/aws, registry.example.com/team/net/aws…"
          value={props.text}
          onChange={(event) => {
            props.onText(event.target.value);
          }}
          autoFocus
        />
      </div>
      <div className="row browse-filters">
        <label className="field">
          <span className="field-label">Registry</span>
          <select
            className="select"
            value={props.query.registry}
            onChange={(event) => {
              props.onChange({ registry: event.target.value });
            }}
          >
            <option value="">All registries</option>
            {registries.map((host) => (
              <option key={host} value={host}>
                {host}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Kind</span>
          <select
            className="select"
            value={props.query.kind}
            onChange={(event) => {
              const kind = event.target.value;
              props.onChange({ kind: kind === "provider" || kind === "module" ? kind : "" });
            }}
          >
            <option value="">Providers and modules</option>
            <option value="provider">Providers</option>
            <option value="module">Modules</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">Tier</span>
          <select
            className="select"
            value={props.query.tier}
            onChange={(event) => {
              props.onChange({ tier: event.target.value });
            }}
          >
            <option value="">Any tier</option>
            {TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {tier[0]?.toUpperCase()}
                {tier.slice(1)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
