import type { CatalogModule } from "../../../shared/api/catalog.js";

/** Where the docs shown came from, or why there are none. */
export function DocsStatus(props: { readonly info: CatalogModule["info"]; readonly host: string }) {
  const { info } = props;
  const version = info.version ?? "this version";
  const detail = info.message ? ` ${info.message}` : "";
  switch (info.status) {
    case "fetched":
      return (
        <p className="small muted">
          Docs of {version} as {props.host} publishes them.
        </p>
      );
    case "stored":
      return (
        <p className="small muted">
          Docs of {version} read from the archive Larder stores.{detail}
        </p>
      );
    case "offline":
      return (
        <p className="banner info" role="note">
          Offline: the registry was not asked for the docs of {version}; once a version is stored its README
          is read from the archive.{detail}
        </p>
      );
    case "unavailable":
      return (
        <p className="banner warn" role="note">
          No docs for {version}.{detail}
        </p>
      );
  }
}
