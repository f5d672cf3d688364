import { formatAgo, formatDate } from "../../components/format.js";
import { useCatalog } from "../../state/catalog.js";

/** When each registry's catalog was last fetched, the offline note, and what the last refresh could not do. */
export function RefreshedAt() {
  const refreshedAt = useCatalog((s) => s.refreshedAt);
  const offline = useCatalog((s) => s.offline);
  const refresh = useCatalog((s) => s.refresh);
  const hosts = Object.keys(refreshedAt).sort();
  return (
    <>
      {offline ? (
        <p className="banner info" role="note">
          Larder is serving offline: results come from the catalog it has cached, and addresses are not looked
          up on the registries.
        </p>
      ) : null}
      {refresh.state === "running" || refresh.state === "starting" ? (
        <p className="banner info" role="status">
          Refreshing the catalogs from the registries… results update when it finishes.
        </p>
      ) : null}
      {refresh.message ? (
        <p className="banner warn" role="alert">
          {refresh.message}
        </p>
      ) : null}
      {hosts.length > 0 ? (
        <ul className="browse-refreshed small muted" aria-label="Catalog refresh times">
          {hosts.map((host) => {
            const at = refreshedAt[host] ?? null;
            return (
              <li key={host}>
                <span className="mono">{host}</span>:{" "}
                {at === null ? (
                  "never refreshed"
                ) : (
                  <time dateTime={at} title={formatDate(at)}>
                    refreshed {formatAgo(at)}
                  </time>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </>
  );
}
