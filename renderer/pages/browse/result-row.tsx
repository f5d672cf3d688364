import { BadgeCheck } from "lucide-react";
import { Link } from "react-router";
import { formatCount, formatDate } from "../../components/format.js";
import { StoredBadge } from "../../components/stored-badge.js";
import type { CatalogHit } from "../../state/catalog.js";

/** Where a hit's detail page is: `/providers/:host/:ns/:type` or `/modules/:host/:ns/:name/:system`. */
export function detailPath(hit: Pick<CatalogHit, "host" | "kind" | "namespace" | "name" | "system">): string {
  const parts = [hit.host, hit.namespace, hit.name, ...(hit.kind === "module" ? [hit.system ?? ""] : [])];
  return `/${hit.kind === "module" ? "modules" : "providers"}/${parts.map(encodeURIComponent).join("/")}`;
}

/** One hit: its address (the link), badges, description, and where it comes from. */
export function ResultRow(props: { readonly hit: CatalogHit }) {
  const { hit } = props;
  return (
    <li className="browse-result">
      <div className="browse-result-head">
        <Link to={detailPath(hit)} className="browse-result-name">
          {hit.address}
        </Link>
        <span className="badge">{hit.kind}</span>
        {hit.tier ? <span className="badge info">{hit.tier}</span> : null}
        {hit.verified ? (
          <span className="badge ok">
            <BadgeCheck size={12} aria-hidden="true" /> verified
          </span>
        ) : null}
        <StoredBadge stored={hit.stored} />
      </div>
      <p className={hit.description ? "browse-result-text" : "browse-result-text muted"}>
        {hit.description || "No description."}
      </p>
      <p className="browse-result-meta small muted">
        <span className="mono">{hit.host}</span>
        <span>latest {hit.latestVersion ?? "unknown"}</span>
        <span>
          {/* registry.terraform.io counts downloads; other catalogs rank by their own popularity. */}
          {hit.host === "registry.terraform.io"
            ? `${formatCount(hit.popularity)} downloads`
            : `popularity ${formatCount(hit.popularity)}`}
        </span>
        <span>updated {formatDate(hit.updatedAt)}</span>
      </p>
    </li>
  );
}
