import { RefreshCw } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { PageHeader } from "../../components/page-header.js";
import { useCatalog, type CatalogQuery } from "../../state/catalog.js";
import "./browse.css";
import { Lookups } from "./lookups.js";
import { RefreshedAt } from "./refreshed-at.js";
import { BrowseResults } from "./results.js";
import { SearchBar } from "./search-bar.js";

/** How long typing pauses before the search runs: one request per word, not per key. */
const DEBOUNCE_MS = 300;

function queryOf(params: URLSearchParams): CatalogQuery {
  const kind = params.get("kind");
  return {
    q: params.get("q") ?? "",
    registry: params.get("registry") ?? "",
    kind: kind === "provider" || kind === "module" ? kind : "",
    tier: params.get("tier") ?? "",
  };
}

/** Browse: search the registries' catalogs (or look an address up) and open a provider or module. */
export function BrowsePage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const [text, setText] = useState(query.q);
  const search = useCatalog((s) => s.search);
  const refresh = useCatalog((s) => s.refresh);
  const startRefresh = useCatalog((s) => s.startRefresh);

  // The URL is the search: a link, a reload or Back shows the same results.
  useEffect(() => {
    void search(query);
  }, [query, search]);

  // Typing updates the URL once it pauses (only the text starts a pause; `update` reads the URL fresh); the URL
  // change above runs the search.
  useEffect(() => {
    if (text === query.q) return;
    const timer = setTimeout(() => {
      update({ q: text });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [text]);

  // Back, Forward or a link changed the URL: the box shows what is searched.
  useEffect(() => {
    setText(query.q);
  }, [query.q]);

  const update = (change: Partial<CatalogQuery>): void => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(change)) {
          if (value === "") next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );
  };

  const busy = refresh.state !== "idle";
  return (
    <div className="page">
      <PageHeader
        title="Browse"
        subtitle="Search the registries for providers and modules to mirror, or type an address to look it up."
        actions={
          <button type="button" className="button" onClick={() => void startRefresh()} disabled={busy}>
            <RefreshCw size={16} aria-hidden="true" className={busy ? "spin" : undefined} />
            {busy ? "Refreshing catalog…" : "Refresh catalog"}
          </button>
        }
      />
      <SearchBar text={text} onText={setText} query={query} onChange={update} />
      <RefreshedAt />
      <Lookups />
      <BrowseResults query={query} />
    </div>
  );
}
