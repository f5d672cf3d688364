import { Boxes, Database, SearchX } from "lucide-react";
import { EmptyState, ErrorState, LoadingRows } from "../../components/states.js";
import { useCatalog, type CatalogQuery } from "../../state/catalog.js";
import { ResultRow } from "./result-row.js";

/** The hits, or why there are none: never refreshed, nothing matched, still loading, or the error in full. */
export function BrowseResults(props: { readonly query: CatalogQuery }) {
  const status = useCatalog((s) => s.status);
  const error = useCatalog((s) => s.error);
  const results = useCatalog((s) => s.results);
  const refreshedAt = useCatalog((s) => s.refreshedAt);
  const lookedUp = useCatalog((s) => s.lookedUp);
  const hasMore = useCatalog((s) => s.hasMore);
  const loadingMore = useCatalog((s) => s.loadingMore);
  const refresh = useCatalog((s) => s.refresh);
  const search = useCatalog((s) => s.search);
  const showMore = useCatalog((s) => s.showMore);
  const startRefresh = useCatalog((s) => s.startRefresh);

  if (status === "error")
    return (
      <ErrorState
        title="The search failed"
        message={error ?? "Unknown error"}
        onRetry={() => void search(props.query)}
      />
    );
  if (results.length === 0 && status !== "ready")
    return <LoadingRows rows={5} label="Searching the catalogs" />;

  const everRefreshed = Object.values(refreshedAt).some((at) => at !== null);
  if (results.length === 0 && !everRefreshed && props.query.q.trim() === "")
    return (
      <EmptyState
        icon={Database}
        title="The catalogs have not been fetched yet"
        action={
          <button
            type="button"
            className="button primary"
            onClick={() => void startRefresh()}
            disabled={refresh.state !== "idle"}
          >
            {refresh.state === "idle" ? "Refresh catalog now" : "Refreshing…"}
          </button>
        }
      >
        Larder searches a copy of each registry&apos;s list of providers and modules. Fetch it once (it takes
        a minute), or type an address such as hashicorp/aws to look it up directly.
      </EmptyState>
    );
  if (results.length === 0 && lookedUp.length > 0)
    return (
      <EmptyState icon={SearchX} title="Not found">
        The address was asked of its registry (see above) and is not in the cached catalogs either. Check the
        spelling, or add the private registry under Settings.
      </EmptyState>
    );
  if (results.length === 0)
    return (
      <EmptyState icon={SearchX} title="Nothing matches">
        No provider or module matches{" "}
        {props.query.q.trim() === "" ? "these filters" : `“${props.query.q.trim()}”`}. Try fewer words,
        another filter, or a full address (namespace/name).
      </EmptyState>
    );

  return (
    <section className="stack" aria-label="Search results" aria-busy={status === "loading"}>
      <p className="small muted" role="status">
        {hasMore
          ? `Showing the first ${results.length} results`
          : `${results.length} ${results.length === 1 ? "result" : "results"}`}
        {status === "loading" ? " — updating…" : ""}
      </p>
      <ul className="browse-results">
        {results.map((hit) => (
          <ResultRow key={`${hit.host} ${hit.kind} ${hit.address}`} hit={hit} />
        ))}
      </ul>
      {hasMore ? (
        <button
          type="button"
          className="button browse-more"
          onClick={() => void showMore()}
          disabled={loadingMore}
        >
          <Boxes size={16} aria-hidden="true" />
          {loadingMore ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </section>
  );
}
