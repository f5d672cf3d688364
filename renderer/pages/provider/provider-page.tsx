import { ExternalLink } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { CodeSnippet } from "../../components/code-snippet.js";
import { ConstraintField } from "../../components/constraint-field.js";
import "../../components/detail.css";
import { LiveNote } from "../../components/live-note.js";
import { PageHeader } from "../../components/page-header.js";
import { ErrorState, LoadingRows } from "../../components/states.js";
import { useCatalogDetail } from "../../state/catalog-detail.js";
import { machinePlatform } from "./machine-platform.js";
import { ProviderMirror } from "./provider-mirror.js";
import { PlatformMatrix, type StoredVersionInfo } from "./platform-matrix.js";
import { StoredHashes } from "./stored-hashes.js";

/** Rows shown before "Show all versions": big providers have hundreds. */
const FIRST_ROWS = 15;

/** `~> 5.3` for 5.3.1: new minor releases, no new major one. */
function pessimistic(version: string | undefined): string {
  const [major = "1", minor = "0"] = (version ?? "").split(/[.-]/);
  return `~> ${major}.${minor}`;
}

/** One provider: versions × platforms (offered, stored, unsigned), a constraint, Mirror, lock-file hashes. */
export function ProviderPage() {
  const { host = "", namespace = "", type = "" } = useParams();
  const [search, setSearch] = useSearchParams();
  const constraint = search.get("constraint") ?? "";
  const loaded = useCatalogDetail((s) => s.provider);
  const inventory = useCatalogDetail((s) => s.inventory);
  const loadProvider = useCatalogDetail((s) => s.loadProvider);
  const loadInventory = useCatalogDetail((s) => s.loadInventory);
  const [pickedVersions, setPickedVersions] = useState<ReadonlySet<string>>(new Set());
  const [pickedPlatforms, setPickedPlatforms] = useState<ReadonlySet<string> | null>(null);
  const [showAll, setShowAll] = useState(false);

  useEffect(() => {
    void loadProvider({ host, namespace, type, constraint });
  }, [host, namespace, type, constraint, loadProvider]);
  useEffect(() => {
    void loadInventory();
  }, [loadInventory]);

  const mine = loaded !== null && loaded.params.host === host && loaded.params.namespace === namespace;
  const data = mine && loaded.params.type === type ? loaded.data : null;
  const address = `${host}/${namespace}/${type}`;
  const stored = inventory?.hosts
    .find((entry) => entry.host === host)
    ?.providers.find((entry) => entry.namespace === namespace && entry.type === type);
  const storedInfo = useMemo(
    () =>
      new Map<string, StoredVersionInfo>(
        (stored?.versions ?? []).map((version) => [
          version.version,
          {
            signed: version.signed,
            sizes: new Map(
              version.platforms.map((platform) => [`${platform.os}_${platform.arch}`, platform.size]),
            ),
          },
        ]),
      ),
    [stored],
  );
  const platforms = useMemo(() => {
    const names = new Set<string>();
    for (const version of data?.versions ?? []) {
      for (const platform of version.platforms ?? []) names.add(`${platform.os}_${platform.arch}`);
      for (const platform of version.stored) names.add(platform);
    }
    return [...names].sort();
  }, [data]);
  // This machine's platform is ticked until a person changes the platforms.
  const effectivePlatforms =
    pickedPlatforms ?? new Set([machinePlatform()].filter((p) => platforms.includes(p)));

  if (data === null) {
    if (loaded?.status === "error")
      return (
        <div className="page">
          <PageHeader title={`${namespace}/${type}`} subtitle={host} />
          <ErrorState
            title="Could not load this provider"
            message={loaded.error ?? "Unknown error"}
            onRetry={() => void loadProvider({ host, namespace, type, constraint })}
          />
        </div>
      );
    return (
      <div className="page">
        <PageHeader title={`${namespace}/${type}`} subtitle={host} />
        <LoadingRows rows={6} label="Loading the provider's versions" />
      </div>
    );
  }

  const constraintError = loaded?.constraintError ?? null;
  const matched = constraint === "" || constraintError ? null : data.versions.filter((v) => v.matches).length;
  // A constraint the server refused matches nothing: the last good one's highlight would mislead.
  const versions = constraintError ? data.versions.map((v) => ({ ...v, matches: null })) : data.versions;
  const shown = showAll ? versions : versions.slice(0, FIRST_ROWS);
  const toggle = (set: ReadonlySet<string>, value: string, on: boolean): ReadonlySet<string> => {
    const next = new Set(set);
    if (on) next.add(value);
    else next.delete(value);
    return next;
  };
  const snippet = [
    "terraform {",
    "  required_providers {",
    `    ${type} = {`,
    `      source  = "${host === "registry.terraform.io" ? "" : `${host}/`}${namespace}/${type}"`,
    `      version = "${constraint === "" || constraintError ? pessimistic(data.entry?.latestVersion ?? data.versions[0]?.version) : constraint}"`,
    "    }",
    "  }",
    "}",
  ].join("\n");

  return (
    <div className="page">
      <PageHeader
        title={`${namespace}/${type}`}
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
      <section className="card stack" aria-labelledby="versions-heading">
        <div className="detail-toolbar">
          <h2 id="versions-heading">Versions and platforms</h2>
          <ConstraintField
            value={constraint}
            error={constraintError}
            matched={matched}
            onChange={(next) => {
              setSearch(next.trim() === "" ? {} : { constraint: next.trim() }, { replace: true });
            }}
          />
          {matched ? (
            <button
              type="button"
              className="button small"
              onClick={() => {
                setPickedVersions(new Set(data.versions.filter((v) => v.matches).map((v) => v.version)));
              }}
            >
              Tick the {matched} matching
            </button>
          ) : null}
        </div>
        {data.versions.length === 0 ? (
          <p className="muted">The registry lists no versions of this provider.</p>
        ) : (
          <PlatformMatrix
            versions={shown}
            platforms={platforms}
            storedInfo={storedInfo}
            pickedVersions={pickedVersions}
            pickedPlatforms={effectivePlatforms}
            onVersion={(version, on) => {
              setPickedVersions((current) => toggle(current, version, on));
            }}
            onPlatform={(platform, on) => {
              setPickedPlatforms(toggle(effectivePlatforms, platform, on));
            }}
          />
        )}
        {data.versions.length > FIRST_ROWS ? (
          <button
            type="button"
            className="button ghost small detail-more"
            onClick={() => {
              setShowAll(!showAll);
            }}
          >
            {showAll ? `Show the newest ${FIRST_ROWS} only` : `Show all ${data.versions.length} versions`}
          </button>
        ) : null}
        <ProviderMirror
          params={{ host, namespace, type, constraint }}
          address={address}
          versions={data.versions}
          pickedVersions={pickedVersions}
          pickedPlatforms={effectivePlatforms}
        />
      </section>
      <div className="detail-columns">
        <section className="card stack" aria-labelledby="usage-heading">
          <h2 id="usage-heading">Usage</h2>
          <CodeSnippet
            title="required_providers"
            code={snippet}
            copyLabel="Copy the required_providers block"
          />
        </section>
        <StoredHashes address={address} stored={stored} />
      </div>
    </div>
  );
}
