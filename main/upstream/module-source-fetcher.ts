import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { LarderError } from "../core/errors.js";
import type { ModuleArchiveFormat, ModuleSource } from "../core/module-source.js";
import type { BlobStore } from "../store/blob-store.js";
import { checkArchiveFormat, extractArchive, type ArchiveLimits } from "../store/archive/index.js";
import { gitCheckout } from "./git-checkout.js";
import type { UpstreamHttpClient } from "./http-client.js";
import { downloadResumable } from "./resumable-download.js";

/** A module source unpacked into a temporary folder: the repository (or archive) root. */
export interface FetchedTree {
  readonly root: string;
  remove(): Promise<void>;
}

/** Temporary module folders carry this prefix so an interrupted run's leftovers are swept on start. */
export const MODULE_TEMP_PREFIX = "module-";

/**
 * Fetches the files of a module version from where the registry said they are: an HTTP(S) archive, a GitHub
 * repository (as GitHub's archive of the ref, so no git is needed) or any other git repository (system git).
 */
export class ModuleSourceFetcher {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly store: BlobStore,
    /** Base of GitHub archive downloads: https://github.com, or the `--upstream github.com=URL` override. */
    private readonly githubBaseUrl: string,
    private readonly limits: ArchiveLimits,
  ) {}

  /** Downloads and unpacks a source; the caller removes the tree when done. */
  async fetch(source: ModuleSource, context: string, signal?: AbortSignal): Promise<FetchedTree> {
    const root = this.store.tempPath(MODULE_TEMP_PREFIX, "");
    const remove = (): Promise<void> => rm(root, { recursive: true, force: true });
    try {
      switch (source.kind) {
        case "archive":
          await mkdir(root);
          await this.unpackUrl(source.url, source.format, root, context, signal);
          return { root, remove };
        case "github": {
          await mkdir(root);
          const ref = encodeURIComponent(source.ref ?? "HEAD");
          const url = `${this.githubBaseUrl}/${source.owner}/${source.repo}/archive/${ref}.tar.gz`;
          await this.unpackUrl(url, "tar.gz", root, context, signal);
          // GitHub archives hold one top folder (<repo>-<ref>/); the repository root is inside it.
          return { root: await singleTopFolder(root, context), remove };
        }
        case "git":
          await gitCheckout(source.url, source.ref, root, context, signal);
          return { root, remove };
      }
    } catch (error) {
      await remove();
      throw error;
    }
  }

  private async unpackUrl(
    url: string,
    format: ModuleArchiveFormat,
    into: string,
    context: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const what = `the archive of ${context.charAt(0).toLowerCase()}${context.slice(1)}`;
    // Resumable like provider archives: a broken transfer is retried from the bytes on disk.
    const file = await downloadResumable({
      http: this.http,
      url,
      partialPath: this.store.partialPathFor(url),
      completePath: this.store.stagingPath(),
      what,
      maxBytes: this.limits.maxTotalBytes,
      signal,
    });
    const staged = await this.store.adopt(file.path, file.sha256, file.size);
    try {
      await checkArchiveFormat(staged.tempPath, format, context);
      await extractArchive(staged.tempPath, format, into, context, this.limits);
    } finally {
      await this.store.discard(staged);
    }
  }
}

/** The one folder at the top of an unpacked tree (GitHub archives, `//*` subdirectories). */
export async function singleTopFolder(root: string, context: string): Promise<string> {
  const entries = await readdir(root, { withFileTypes: true });
  const only = entries[0];
  if (entries.length !== 1 || !only?.isDirectory()) {
    throw new LarderError(
      "verification_failed",
      `${context}: expected the archive to hold exactly one top-level folder.`,
    );
  }
  return join(root, only.name);
}
