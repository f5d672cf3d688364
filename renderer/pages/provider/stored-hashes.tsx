import { CodeSnippet } from "../../components/code-snippet.js";
import type { Inventory } from "../../../shared/api/inventory.js";

type StoredProvider = Inventory["hosts"][number]["providers"][number];

/** The `.terraform.lock.hcl` block of one stored version: every stored platform's `h1:` and `zh:`. */
function lockBlock(address: string, version: StoredProvider["versions"][number]): string {
  const hashes = [
    ...new Set([
      ...version.platforms.map((platform) => platform.h1),
      ...version.platforms.map((platform) => platform.zh),
    ]),
  ].sort();
  return [
    `provider "${address}" {`,
    `  version = "${version.version}"`,
    `  hashes = [`,
    ...hashes.map((hash) => `    "${hash}",`),
    `  ]`,
    `}`,
  ].join("\n");
}

/** For each stored version, the lock-file hashes to pin it (h1: per stored platform, zh: of each archive). */
export function StoredHashes(props: {
  readonly address: string;
  readonly stored: StoredProvider | undefined;
}) {
  const versions = props.stored?.versions ?? [];
  return (
    <section className="card stack" aria-labelledby="stored-hashes">
      <h2 id="stored-hashes">Lock-file hashes</h2>
      {versions.length === 0 ? (
        <p className="muted">
          No version is stored yet. Once one is, its hashes for <code>.terraform.lock.hcl</code> appear here.
        </p>
      ) : (
        versions.map((version) => (
          <div key={version.version} className="stack">
            <p className="row small">
              <span className="mono">{version.version}</span>
              {version.signed ? (
                <span className="badge ok">signed{version.keyId ? ` by ${version.keyId}` : ""}</span>
              ) : (
                <span className="badge warn">unsigned: stored on its checksums alone</span>
              )}
              <span className="muted">
                {version.platforms.map((platform) => `${platform.os}_${platform.arch}`).join(", ")}
              </span>
            </p>
            <CodeSnippet
              title={`Lock-file entry for ${version.version}`}
              code={lockBlock(props.address, version)}
              copyLabel={`Copy lock-file hashes for ${version.version}`}
            />
          </div>
        ))
      )}
    </section>
  );
}
