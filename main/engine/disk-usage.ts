import { formatModuleAddress } from "../core/module-address.js";
import type { ModuleVersionRecord } from "../db/module-repository.js";
import type { StoredPackage } from "../db/provider-repository.js";
import type { BlobFile } from "../store/blob-store.js";

/** Bytes one provider or module occupies: every blob its rows reference (archives, SHA256SUMS, signatures). */
export interface UsageEntry {
  /** `host/namespace/type` or `host/namespace/name/system`. */
  readonly address: string;
  readonly bytes: number;
}

export interface HostUsage {
  readonly host: string;
  readonly bytes: number;
  readonly providers: readonly UsageEntry[];
  readonly modules: readonly UsageEntry[];
}

/**
 * Disk usage, plain JSON data. A blob referenced under two hosts (the same zip on registry.terraform.io and
 * registry.opentofu.org is one file) is counted in each host's `bytes`, because deleting either host alone frees
 * nothing, but only once in `totalBytes`, which is what the referenced files really take.
 */
export interface DiskUsage {
  /** Bytes of distinct referenced blobs. */
  readonly totalBytes: number;
  /** What `larder gc` would free now: unreferenced blobs not touched by a running ingest. */
  readonly unreferencedBytes: number;
  /** Bytes of every file under blobs/ (referenced, garbage, and blobs a running ingest has not yet recorded). */
  readonly onDiskBytes: number;
  readonly hosts: readonly HostUsage[];
}

/** Sizes by sha256: the file's when present, else what the row recorded. */
type Sizes = ReadonlyMap<string, number>;

/** Builds the report from the stored rows, the blob files and what gc would free. */
export function buildDiskUsage(
  packages: readonly StoredPackage[],
  modules: readonly ModuleVersionRecord[],
  files: readonly BlobFile[],
  unreferencedBytes: number,
): DiskUsage {
  const sizes = new Map<string, number>();
  for (const pkg of packages) sizes.set(pkg.archiveBlob, pkg.size);
  for (const module of modules) sizes.set(module.archiveBlob, module.size);
  for (const file of files) sizes.set(file.sha256, file.size);
  const blobsByAddress = new Map<string, { host: string; kind: "provider" | "module"; blobs: Set<string> }>();
  const add = (
    host: string,
    kind: "provider" | "module",
    address: string,
    blobs: readonly string[],
  ): void => {
    const entry = blobsByAddress.get(address) ?? { host, kind, blobs: new Set<string>() };
    for (const blob of blobs) entry.blobs.add(blob);
    blobsByAddress.set(address, entry);
  };
  for (const pkg of packages) {
    const { host, namespace, type, shasumsBlob, signatureBlob } = pkg.release;
    add(host, "provider", `${host}/${namespace}/${type}`, [pkg.archiveBlob, shasumsBlob, signatureBlob]);
  }
  for (const module of modules) add(module.host, "module", formatModuleAddress(module), [module.archiveBlob]);
  const hosts = [...new Set([...blobsByAddress.values()].map((entry) => entry.host))].sort();
  const all = new Set<string>();
  const hostUsage = hosts.map((host): HostUsage => {
    const own = [...blobsByAddress.entries()]
      .filter(([, entry]) => entry.host === host)
      .sort(([a], [b]) => a.localeCompare(b));
    const hostBlobs = new Set(own.flatMap(([, entry]) => [...entry.blobs]));
    for (const blob of hostBlobs) all.add(blob);
    const entries = (kind: "provider" | "module"): UsageEntry[] =>
      own
        .filter(([, entry]) => entry.kind === kind)
        .map(([address, entry]) => ({ address, bytes: bytesOf(entry.blobs, sizes) }));
    return {
      host,
      bytes: bytesOf(hostBlobs, sizes),
      providers: entries("provider"),
      modules: entries("module"),
    };
  });
  return {
    totalBytes: bytesOf(all, sizes),
    unreferencedBytes,
    onDiskBytes: files.reduce((total, file) => total + file.size, 0),
    hosts: hostUsage,
  };
}

function bytesOf(blobs: Iterable<string>, sizes: Sizes): number {
  let total = 0;
  for (const blob of blobs) total += sizes.get(blob) ?? 0;
  return total;
}
