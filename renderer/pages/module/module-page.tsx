import { ExternalLink } from "lucide-react";
import { useEffect, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { CodeSnippet } from "../../components/code-snippet.js";
import { ConstraintField } from "../../components/constraint-field.js";
import "../../components/detail.css";
import { LiveNote } from "../../components/live-note.js";
import { PageHeader } from "../../components/page-header.js";
import { ErrorState, LoadingRows } from "../../components/states.js";
import { useCatalogDetail } from "../../state/catalog-detail.js";
import { DocsStatus } from "./docs-status.js";
import { ModuleDependencies } from "./module-dependencies.js";
import { ModuleInterface } from "./module-interface.js";
import { ModuleVersions } from "./module-versions.js";
import { Readme } from "./readme.js";

/** One module: versions (stored, matching), one version's README, inputs, outputs and dependencies, Mirror. */
export function ModulePage() {
  const { host = "", namespace = "", name = "", system = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const constraint = search.get("constraint") ?? "";
  const version = search.get("version") ?? "";
  const loaded = useCatalogDetail((s) => s.module);
  const loadModule = useCatalogDetail((s) => s.loadModule);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    void loadModule({ host, namespace, name, system, constraint, version });
  }, [host, namespace, name, system, constraint, version, loadModule]);

  const title = `${namespace}/${name}/${system}`;
  const address = `${host}/${title}`;
  const p = loaded?.params;
  const data =
    p && p.host === host && p.namespace === namespace && p.name === name && p.system === system
      ? loaded.data
      : null;
  const setParam = (key: string, value: string): void => {
    setSearch(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === "") next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  };

  if (data === null || loaded === null)
    return (
      <div className="page">
        <PageHeader title={title} subtitle={host} />
        {loaded?.status === "error" ? (
          <ErrorState
            title="Could not load this module"
            message={loaded.error ?? "Unknown error"}
            onRetry={() => void loadModule({ host, namespace, name, system, constraint, version })}
          />
        ) : (
          <LoadingRows rows={6} label="Loading the module" />
        )}
      </div>
    );

  const matched =
    constraint === "" || loaded.constraintError ? null : data.versions.filter((v) => v.matches).length;
  const docsVersion = data.info.version ?? "";
  const snippet = [
    `module "${name.replace(/[^A-Za-z0-9_-]/g, "_")}" {`,
    `  source  = "${host === "registry.terraform.io" ? "" : `${host}/`}${title}"`,
    `  version = "${docsVersion === "" ? (data.versions[0]?.version ?? "1.0.0") : docsVersion}"`,
    "}",
  ].join("\n");

  return (
    <div className="page">
      <PageHeader
        title={title}
        subtitle={
          <>
            <span className="mono">{host}</span>
            {data.entry?.description ? ` — ${data.entry.description}` : ""}
          </>
        }
        actions={
          data.entry?.source ? (
            <a className="button" href={data.entry.source} target="_blank" rel="noreferrer">
              <ExternalLink size={16} aria-hidden="true" /> Source
            </a>
          ) : null
        }
      />
      <LiveNote live={data.live} host={host} />
      <div className="detail-grid">
        <div className="stack detail-main">
          <section className="card stack" aria-labelledby="readme-heading">
            <div className="detail-toolbar">
              <h2 id="readme-heading">README</h2>
              <label className="field">
                <span className="field-label">Docs for version</span>
                <select
                  className="select mono"
                  value={docsVersion}
                  onChange={(event) => {
                    setParam("version", event.target.value);
                  }}
                >
                  {docsVersion === "" ? <option value="">newest</option> : null}
                  {data.versions.map((entry) => (
                    <option key={entry.version} value={entry.version}>
                      {entry.version}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <DocsStatus info={data.info} host={host} />
            {loaded.status === "loading" ? <LoadingRows rows={3} label="Loading the docs" /> : null}
            {data.readme ? (
              <Readme readme={data.readme} />
            ) : (
              <p className="muted">No README for this version.</p>
            )}
          </section>
          <ModuleInterface inputs={data.inputs} outputs={data.outputs} />
        </div>
        <div className="stack detail-side">
          <section className="card stack" aria-labelledby="versions-heading">
            <h2 id="versions-heading">Versions</h2>
            <ConstraintField
              value={constraint}
              error={loaded.constraintError}
              matched={matched}
              onChange={(next) => {
                setParam("constraint", next.trim());
              }}
            />
            <ModuleVersions
              address={address}
              versions={
                // A refused constraint matches nothing: the last good one's highlight would mislead.
                loaded.constraintError ? data.versions.map((v) => ({ ...v, matches: null })) : data.versions
              }
              picked={picked}
              onPick={setPicked}
            />
          </section>
          <ModuleDependencies dependencies={data.dependencies} />
          <section className="card stack" aria-labelledby="usage-heading">
            <h2 id="usage-heading">Usage</h2>
            <CodeSnippet title="module block" code={snippet} copyLabel="Copy the module block" />
          </section>
        </div>
      </div>
    </div>
  );
}
