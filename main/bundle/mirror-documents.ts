import { compareVersionStrings } from "../core/version.js";
import type { ProviderPackageEntry } from "./bundle-manifest.js";
import { providerArchiveName, providerIndexPath, providerVersionPath } from "./bundle-layout.js";

/** A generated file: its path in the bundle and its bytes. */
export interface GeneratedDocument {
  readonly path: string;
  readonly bytes: Buffer;
  readonly purpose: "readme" | "cli-config" | "mirror-index" | "mirror-version";
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Static network-mirror JSON (terraform-protocols.md §3) for the given packages: `index.json` per provider and
 * `{version}.json` per release, with URLs relative to the JSON (the zip lies beside it) and `h1:` plus `zh:`.
 */
export function networkMirrorDocuments(packages: readonly ProviderPackageEntry[]): GeneratedDocument[] {
  const providers = new Map<string, Map<string, ProviderPackageEntry[]>>();
  for (const pkg of packages) {
    const provider = `${pkg.host}/${pkg.namespace}/${pkg.type}`;
    const versions = providers.get(provider) ?? new Map<string, ProviderPackageEntry[]>();
    versions.set(pkg.version, [...(versions.get(pkg.version) ?? []), pkg]);
    providers.set(provider, versions);
  }
  const documents: GeneratedDocument[] = [];
  for (const versions of providers.values()) {
    const sorted = [...versions.keys()].sort(compareVersionStrings);
    const first = versions.get(sorted[0] ?? "")?.[0];
    if (!first) continue;
    documents.push({
      path: providerIndexPath(first),
      bytes: json({ versions: Object.fromEntries(sorted.map((version) => [version, {}])) }),
      purpose: "mirror-index",
    });
    for (const version of sorted) {
      const archives = (versions.get(version) ?? []).map(
        (pkg): [string, { url: string; hashes: string[] }] => [
          `${pkg.os}_${pkg.arch}`,
          { url: providerArchiveName(pkg, pkg.os, pkg.arch), hashes: [pkg.h1, pkg.zh] },
        ],
      );
      documents.push({
        path: providerVersionPath({ ...first, version }),
        bytes: json({ archives: Object.fromEntries(archives) }),
        purpose: "mirror-version",
      });
    }
  }
  return documents;
}
