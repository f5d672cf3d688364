import type { BundleEntry, BundleManifest } from "./bundle-manifest.js";

/**
 * The identity of what an entry stores, independent of where it lies in the bundle: what an incremental export
 * compares with its parent. Documents and checksums have none (they are regenerated or travel with packages).
 */
export function contentKey(entry: BundleEntry): string | undefined {
  switch (entry.kind) {
    case "provider-package":
      return `provider ${entry.host}/${entry.namespace}/${entry.type} ${entry.version} ${entry.os}_${entry.arch}`;
    case "module-archive":
      return `module ${entry.host}/${entry.namespace.toLowerCase()}/${entry.name.toLowerCase()}/${entry.system} ${entry.version}`;
    case "provider-shasums":
    case "provider-signature":
    case "document":
      return undefined;
  }
}

/** The content keys of every package and module in a manifest. */
export function contentKeys(manifest: BundleManifest): Set<string> {
  const keys = new Set<string>();
  for (const entry of manifest.entries) {
    const key = contentKey(entry);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** `host/namespace/type version`: groups a release's package, SHA256SUMS and signature entries. */
export function releaseKey(entry: {
  host: string;
  namespace: string;
  type: string;
  version: string;
}): string {
  return `${entry.host}/${entry.namespace}/${entry.type} ${entry.version}`;
}
