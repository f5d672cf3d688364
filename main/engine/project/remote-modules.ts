import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { errorMessage } from "../../core/errors.js";
import { moduleSourceKey, parseModuleSource, type ModuleSource } from "../../core/module-source.js";
import { withIngestSession, type IngestSessionRepository } from "../../db/ingest-session-repository.js";
import type { RemoteModuleRecord, RemoteModuleRepository } from "../../db/remote-module-repository.js";
import { packDirectoryToTarGz } from "../../store/archive/pack-tar-gz.js";
import type { BlobStore } from "../../store/blob-store.js";
import type { ModuleSourceFetcher } from "../../upstream/module-source-fetcher.js";
import type { ConfigReader } from "../config-reader.js";
import { findModuleDependencies, type ModuleDependencies } from "../module-dependencies.js";
import { archiveModuleTree } from "../module-tree.js";

/** What reading a non-registry module source came to. */
export type RemoteModuleRead =
  | {
      readonly status: "read";
      readonly dependencies: ModuleDependencies;
      readonly fetchedAt: string;
      /** The source names content that does not change (see isPinned). */
      readonly pinned: boolean;
    }
  /** Larder cannot fetch it (S3, GCS, SSH git, …): what it calls stays unknown. */
  | { readonly status: "unsupported"; readonly reason: string }
  /** Offline (`check`), and `larder mirror project` has not read it yet. */
  | { readonly status: "not-read" }
  | { readonly status: "failed"; readonly reason: string };

/** What reading remote modules uses; without `fetcher` only snapshots already taken are read. */
export interface RemoteModuleDependencies {
  readonly remoteModules: RemoteModuleRepository;
  readonly store: BlobStore;
  readonly sessions: IngestSessionRepository;
  readonly configs: ConfigReader;
  readonly fetcher?: ModuleSourceFetcher;
}

/**
 * Modules a project calls by a git or HTTP source (issue 16). init fetches those itself and Larder cannot serve
 * them, but what they call and require must be mirrored like the rest, so `larder mirror project` fetches each
 * once and keeps a snapshot (migration 14), from which `larder check` reads it again offline.
 */
export class RemoteModules {
  constructor(private readonly deps: RemoteModuleDependencies) {}

  /**
   * What the module at `location` calls and requires, from its snapshot. With `fetch`, the snapshot is taken when
   * there is none, and taken again when the source may have moved since (no ref, or a branch-like one); a source
   * pinned to a version tag or a commit is fetched once, so a re-run downloads nothing. A source that cannot be
   * fetched again is read from the snapshot it has.
   */
  async read(
    location: string,
    defaultHosts: readonly string[],
    options: { readonly fetch: boolean; readonly signal?: AbortSignal },
  ): Promise<RemoteModuleRead> {
    let source: ModuleSource;
    try {
      source = parseModuleSource(location);
    } catch (error) {
      return { status: "unsupported", reason: errorMessage(error) };
    }
    if (source.subdir.includes("*")) {
      // tofu 1.6 does not expand such a glob either ("Unreadable module directory"): name the folder instead.
      return {
        status: "unsupported",
        reason: `Cannot read module source "${location}": name the subdirectory instead of a glob.`,
      };
    }
    const key = moduleSourceKey(source);
    let record = this.deps.remoteModules.find(key);
    const fetcher = options.fetch ? this.deps.fetcher : undefined;
    if (fetcher !== undefined && (record === undefined || !isPinned(source))) {
      try {
        record = await this.snapshot(fetcher, key, source, location, options.signal);
      } catch (error) {
        options.signal?.throwIfAborted();
        if (record === undefined) return { status: "failed", reason: errorMessage(error) };
      }
    }
    if (record === undefined) return { status: "not-read" };
    try {
      const tree = await archiveModuleTree(this.deps.store.pathOf(record.archiveBlob), `Module ${location}`);
      const dependencies = await findModuleDependencies(tree, this.deps.configs, source.subdir, defaultHosts);
      return { status: "read", dependencies, fetchedAt: record.fetchedAt, pinned: isPinned(source) };
    } catch (error) {
      return { status: "failed", reason: errorMessage(error) };
    }
  }

  /** Fetches the whole repository or archive (without its subdirectory) and stores it as a snapshot. */
  private async snapshot(
    fetcher: ModuleSourceFetcher,
    key: string,
    source: ModuleSource,
    location: string,
    signal: AbortSignal | undefined,
  ): Promise<RemoteModuleRecord> {
    const { store, sessions, remoteModules } = this.deps;
    const context = `Module ${location}`;
    return withIngestSession(sessions, async () => {
      const tree = await fetcher.fetch(source, context, signal);
      const packed = store.tempPath("", ".remote.module.tar.gz");
      try {
        await packDirectoryToTarGz(tree.root, packed);
        const staged = await store.stage(createReadStream(packed));
        await store.commit(staged);
        return remoteModules.put(key, { sha256: staged.sha256, size: staged.size });
      } finally {
        await rm(packed, { force: true });
        await tree.remove();
      }
    });
  }
}

/**
 * Whether a source names content that does not change: an archive URL (a file that is re-published under the same
 * name is the publisher's mistake), or a git ref that is a commit or a version tag. A branch, or no ref (the default
 * branch), may move at any time.
 */
function isPinned(source: ModuleSource): boolean {
  if (source.kind === "archive") return true;
  const ref = source.ref;
  return ref !== undefined && (/^[0-9a-f]{40}$/i.test(ref) || /^v?\d+(\.\d+)*([-+][\w.-]+)?$/.test(ref));
}
