import type { RowFilter } from "./inventory-rows.js";

/** Text, kind and host filters over the inventory rows. */
export function InventoryFilters(props: {
  readonly filter: RowFilter;
  readonly hosts: readonly string[];
  readonly onChange: (filter: RowFilter) => void;
}) {
  const { filter, onChange } = props;
  return (
    <div className="row inv-filters">
      <label className="field inv-filter-text">
        <span className="field-label">Filter</span>
        <input
          className="input"
          type="search"
          aria-label="Filter stored items"
          placeholder="e.g. alpha 2.0 linux"
          value={filter.text}
          onChange={(event) => {
            onChange({ ...filter, text: event.target.value });
          }}
        />
      </label>
      <label className="field">
        <span className="field-label">Kind</span>
        <select
          className="select"
          value={filter.kind}
          onChange={(event) => {
            const value = event.target.value;
            onChange({ ...filter, kind: value === "provider" || value === "module" ? value : "all" });
          }}
        >
          <option value="all">Providers and modules</option>
          <option value="provider">Providers</option>
          <option value="module">Modules</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Host</span>
        <select
          className="select"
          value={filter.host}
          onChange={(event) => {
            onChange({ ...filter, host: event.target.value });
          }}
        >
          <option value="">All hosts</option>
          {props.hosts.map((host) => (
            <option key={host} value={host}>
              {host}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
