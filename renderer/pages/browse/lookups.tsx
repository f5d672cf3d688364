import { useCatalog, type CatalogLookup } from "../../state/catalog.js";

function sentence(lookup: CatalogLookup): string {
  switch (lookup.outcome) {
    case "found":
      return `Found ${lookup.address} on ${lookup.host}.`;
    case "not-found":
      return `${lookup.address}: not found on ${lookup.host}.`;
    case "failed":
      return `${lookup.address}: looking it up on ${lookup.host} failed${lookup.message ? `: ${lookup.message}` : "."}`;
  }
}

/** An address typed into the box is asked of its registry directly; this says how each ask went. */
export function Lookups() {
  const lookedUp = useCatalog((s) => s.lookedUp);
  if (lookedUp.length === 0) return null;
  return (
    <ul className="browse-lookups" aria-label="Address look-ups">
      {lookedUp.map((lookup) => (
        <li
          key={`${lookup.host} ${lookup.kind} ${lookup.address}`}
          className={`banner ${lookup.outcome === "found" ? "info" : lookup.outcome === "failed" ? "danger" : "warn"}`}
        >
          <span className="badge">{lookup.kind}</span>
          {sentence(lookup)}
        </li>
      ))}
    </ul>
  );
}
