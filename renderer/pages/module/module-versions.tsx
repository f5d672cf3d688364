import { useState } from "react";
import { formatDate } from "../../components/format.js";
import { MirrorBar } from "../../components/mirror-bar.js";
import type { CatalogModule } from "../../../shared/api/catalog.js";
import { useCatalogDetail } from "../../state/catalog-detail.js";

const FIRST_ROWS = 12;

/** The versions with dates, stored and matching marks, checkboxes, and Mirror (with dependencies by default). */
export function ModuleVersions(props: {
  readonly address: string;
  readonly versions: CatalogModule["versions"];
  readonly picked: ReadonlySet<string>;
  readonly onPick: (picked: ReadonlySet<string>) => void;
}) {
  const mirror = useCatalogDetail((s) => s.mirror);
  const startMirror = useCatalogDetail((s) => s.startMirror);
  const [withDependencies, setWithDependencies] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? props.versions : props.versions.slice(0, FIRST_ROWS);
  const count = props.picked.size;
  const dated = props.versions.some((version) => version.publishedAt !== null);
  return (
    <>
      {props.versions.length === 0 ? (
        <p className="muted">The registry lists no versions of this module.</p>
      ) : (
        <table className="table compact versions">
          <caption className="visually-hidden">Versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              {dated ? <th scope="col">Published</th> : null}
              <th scope="col">Here</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((version) => (
              <tr key={version.version} className={version.matches === true ? "matches" : undefined}>
                <th scope="row">
                  <span className="version-cell">
                    <label className="check mono">
                      <input
                        type="checkbox"
                        checked={props.picked.has(version.version)}
                        onChange={(event) => {
                          const next = new Set(props.picked);
                          if (event.target.checked) next.add(version.version);
                          else next.delete(version.version);
                          props.onPick(next);
                        }}
                      />
                      {version.version}
                    </label>
                    {version.matches === true ? <span className="badge info">matches</span> : null}
                  </span>
                </th>
                {dated ? <td className="small muted nowrap">{formatDate(version.publishedAt)}</td> : null}
                <td>
                  {version.stored ? (
                    <span className="badge ok">stored</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.versions.length > FIRST_ROWS ? (
        <button
          type="button"
          className="button ghost small detail-more"
          onClick={() => {
            setShowAll(!showAll);
          }}
        >
          {showAll ? `Show the newest ${FIRST_ROWS} only` : `Show all ${props.versions.length} versions`}
        </button>
      ) : null}
      <MirrorBar
        summary={
          count === 0 ? (
            <span className="muted">Tick the versions to mirror.</span>
          ) : (
            `${count} ${count === 1 ? "version" : "versions"} ticked`
          )
        }
        disabled={count === 0}
        mirror={mirror?.address === props.address ? mirror : null}
        onMirror={() => {
          void startMirror({
            kind: "module",
            address: props.address,
            versions: [...props.picked],
            withDependencies,
          });
        }}
      >
        <label className="check small">
          <input
            type="checkbox"
            checked={withDependencies}
            onChange={(event) => {
              setWithDependencies(event.target.checked);
            }}
          />
          With its dependencies
        </label>
      </MirrorBar>
    </>
  );
}
