import { formatBytes, formatDate } from "../../components/format.js";
import type { CatalogProvider } from "../../../shared/api/catalog.js";

export type ProviderVersion = CatalogProvider["versions"][number];

/** Per version, what the inventory knows: signed or not, and each stored platform's size. */
export interface StoredVersionInfo {
  readonly signed: boolean;
  readonly sizes: ReadonlyMap<string, number>;
}

function Cell(props: {
  readonly version: ProviderVersion;
  readonly platform: string;
  readonly stored: StoredVersionInfo | undefined;
}) {
  const { version, platform, stored } = props;
  const [os = "", arch = ""] = platform.split("_");
  const offered = version.platforms?.find((entry) => entry.os === os && entry.arch === arch);
  if (version.stored.includes(platform)) {
    const size = stored?.sizes.get(platform) ?? offered?.size ?? null;
    return (
      <td className="matrix-cell stored">
        <span className="badge ok">stored</span>
        {stored?.signed === false ? <span className="badge warn">unsigned</span> : null}
        <span className="small muted">{size === null ? "" : formatBytes(size)}</span>
      </td>
    );
  }
  if (offered)
    return (
      <td className="matrix-cell">
        <span>available</span>
        {offered.size === null ? null : <span className="small muted">{formatBytes(offered.size)}</span>}
      </td>
    );
  if (version.platforms === null)
    return (
      <td className="matrix-cell muted" title="The registry has not said which platforms this version has">
        unknown
      </td>
    );
  return (
    <td className="matrix-cell muted">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">not offered</span>
    </td>
  );
}

/**
 * Version × platform: what the registry offers, what is stored (and unsigned), with a checkbox per version (rows)
 * and per platform (columns); Mirror fetches every ticked version on every ticked platform.
 */
export function PlatformMatrix(props: {
  readonly versions: readonly ProviderVersion[];
  readonly platforms: readonly string[];
  readonly storedInfo: ReadonlyMap<string, StoredVersionInfo>;
  readonly pickedVersions: ReadonlySet<string>;
  readonly pickedPlatforms: ReadonlySet<string>;
  readonly onVersion: (version: string, picked: boolean) => void;
  readonly onPlatform: (platform: string, picked: boolean) => void;
}) {
  // registry.terraform.io gives no release dates: no column of dashes then.
  const dated = props.versions.some((version) => version.publishedAt !== null);
  return (
    <div className="matrix-scroll" tabIndex={0} role="region" aria-label="Version and platform matrix">
      <table className="table matrix">
        <caption className="visually-hidden">
          Versions (rows) by platform (columns): available upstream, stored, unsigned
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            {dated ? <th scope="col">Published</th> : null}
            {props.platforms.map((platform) => (
              <th scope="col" key={platform}>
                <label className="check mono">
                  <input
                    type="checkbox"
                    checked={props.pickedPlatforms.has(platform)}
                    onChange={(event) => {
                      props.onPlatform(platform, event.target.checked);
                    }}
                  />
                  {platform}
                </label>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.versions.map((version) => (
            <tr key={version.version} className={version.matches === true ? "matches" : undefined}>
              <th scope="row">
                <span className="version-cell">
                  <label className="check mono">
                    <input
                      type="checkbox"
                      checked={props.pickedVersions.has(version.version)}
                      onChange={(event) => {
                        props.onVersion(version.version, event.target.checked);
                      }}
                    />
                    {version.version}
                  </label>
                  {version.matches === true ? <span className="badge info">matches</span> : null}
                </span>
              </th>
              {dated ? <td className="small muted nowrap">{formatDate(version.publishedAt)}</td> : null}
              {props.platforms.map((platform) => (
                <Cell
                  key={platform}
                  version={version}
                  platform={platform}
                  stored={props.storedInfo.get(version.version)}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
