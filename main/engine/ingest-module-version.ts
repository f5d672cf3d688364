import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { LarderError } from "../core/errors.js";
import { formatModuleAddress, type ModuleAddress } from "../core/module-address.js";
import { parseModuleSource } from "../core/module-source.js";
import { withIngestSession, type IngestSessionRepository } from "../db/ingest-session-repository.js";
import type { ModuleRepository, ModuleVersionRecord } from "../db/module-repository.js";
import type { BlobStore } from "../store/blob-store.js";
import { packDirectoryToTarGz } from "../store/archive/index.js";
import type { ModuleRegistryClient } from "../upstream/module-registry-client.js";
import { singleTopFolder, type ModuleSourceFetcher } from "../upstream/module-source-fetcher.js";

/** What module ingest needs from the rest of the engine. */
export interface ModuleIngestDependencies {
  readonly modules: ModuleRepository;
  readonly moduleRegistry: ModuleRegistryClient;
  readonly fetcher: ModuleSourceFetcher;
  readonly store: BlobStore;
  /** Where this ingest registers itself so a concurrent `larder gc` keeps what it writes. */
  readonly sessions: IngestSessionRepository;
}

/** One module version to mirror. */
export interface ModuleVersionRef {
  readonly address: ModuleAddress;
  readonly version: string;
}

/** `registry.terraform.io/ns/name/system 1.2.0`, for messages. */
export function describeModule(ref: ModuleVersionRef): string {
  return `${formatModuleAddress(ref.address)} ${ref.version}`;
}

/**
 * Fetches one module version from the source its registry names and stores it as Larder's own `.tar.gz` with
 * the repository (or archive) root at the archive root, recording the subdirectory that holds the module, so
 * relative `../` references inside the repository keep working and no `//*` glob is ever served.
 */
export function ingestModuleVersion(
  deps: ModuleIngestDependencies,
  ref: ModuleVersionRef,
  signal?: AbortSignal,
): Promise<ModuleVersionRecord> {
  return withIngestSession(deps.sessions, () => ingestInSession(deps, ref, signal));
}

async function ingestInSession(
  deps: ModuleIngestDependencies,
  ref: ModuleVersionRef,
  signal?: AbortSignal,
): Promise<ModuleVersionRecord> {
  const context = `Module ${describeModule(ref)}`;
  const location = await deps.moduleRegistry.downloadLocation(ref.address, ref.version, signal);
  const source = parseModuleSource(location);
  const tree = await deps.fetcher.fetch(source, context, signal);
  const packed = deps.store.tempPath("", ".module.tar.gz");
  try {
    let root = tree.root;
    let subdir = source.subdir;
    // go-getter's `//*` means "the single top-level folder": resolve it here instead of serving a glob.
    if (subdir === "*" || subdir.startsWith("*/")) {
      root = await singleTopFolder(root, context);
      subdir = subdir.slice(2);
    }
    if (subdir.includes("*"))
      throw new LarderError(
        "unsupported",
        `${context}: glob subdirectories other than //* are not supported.`,
      );
    const moduleDir = join(root, subdir);
    const info = await stat(moduleDir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new LarderError(
        "verification_failed",
        `${context}: the source has no directory "${subdir}" (from ${location}).`,
      );
    }
    await packDirectoryToTarGz(root, packed);
    const staged = await deps.store.stage(createReadStream(packed));
    await deps.store.commit(staged);
    const record: ModuleVersionRecord = {
      ...ref.address,
      version: ref.version,
      archiveBlob: staged.sha256,
      size: staged.size,
      subdir,
      sourceKind: source.kind,
      upstreamLocation: location,
    };
    deps.modules.insert(record, { sha256: staged.sha256, size: staged.size });
    return record;
  } finally {
    await rm(packed, { force: true });
    await tree.remove();
  }
}
