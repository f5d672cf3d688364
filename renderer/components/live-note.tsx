import type { CatalogProvider } from "../../shared/api/catalog.js";

/** Whether the registry answered for this page, or it comes from the cached catalog and inventory. */
export function LiveNote(props: { readonly live: CatalogProvider["live"]; readonly host: string }) {
  switch (props.live.status) {
    case "fetched":
      return null;
    case "offline":
      return (
        <p className="banner info" role="note">
          Offline: this comes from the cached catalog and what is stored; {props.host} was not asked.
        </p>
      );
    case "not-found":
      return (
        <p className="banner warn" role="note">
          {props.host} does not know this address any more; showing what Larder has cached and stored.
        </p>
      );
    case "failed":
      return (
        <p className="banner warn" role="alert">
          Could not ask {props.host}: {props.live.message} Showing what Larder has cached and stored.
        </p>
      );
  }
}
