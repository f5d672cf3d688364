import { randomUUID } from "node:crypto";
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Writable } from "node:stream";
import { errorMessage, LarderError } from "../core/errors.js";
import type { BundleRepository } from "../db/bundle-repository.js";
import type { ModuleRepository } from "../db/module-repository.js";
import type { ProviderRepository } from "../db/provider-repository.js";
import type { BlobStore } from "../store/blob-store.js";
import { ensureFreeSpace } from "../store/disk-space.js";
import { parseManifest, type BundleManifest } from "./bundle-manifest.js";
import { planBundle, type BundlePlan } from "./bundle-plan.js";
import { readBundleManifest } from "./bundle-reader.js";
import { contentKeys } from "./entry-keys.js";
import type { BundleSelection } from "./bundle-selection.js";
import { signBundleSums } from "./bundle-signature.js";
import { plannedTarSize, streamBundle, writeBundle } from "./bundle-writer.js";

/** What export needs from the rest of the engine. */
export interface ExportDependencies {
  readonly store: BlobStore;
  readonly providers: ProviderRepository;
  readonly modules: ModuleRepository;
  readonly bundles: BundleRepository;
  readonly larderVersion: string;
}

/** One `larder bundle export`. */
export interface ExportRequest {
  readonly file: string;
  readonly selection: BundleSelection;
  /** An earlier bundle file or a bundle id from the history: only what it lacks is exported. */
  readonly since?: string;
  readonly gzip: boolean;
  readonly signKey?: { readonly armored: string; readonly passphrase: string | undefined };
}

/** Hooks for the CLI: the exact size before writing, then byte progress of the tar. */
export interface ExportHooks {
  readonly onPlanned?: (plan: BundlePlan, tarBytes: number) => void;
  readonly onProgress?: (tarBytesDone: number) => void;
}

/** What was written. */
export interface ExportResult {
  readonly manifest: BundleManifest;
  readonly tarBytes: number;
  readonly fileBytes: number;
  readonly providerPackages: number;
  readonly moduleVersions: number;
  readonly signedBy: string | undefined;
}

async function parentManifest(deps: ExportDependencies, since: string): Promise<BundleManifest> {
  const isFile = await stat(since).then(
    (info) => info.isFile(),
    () => false,
  );
  if (isFile) return readBundleManifest(since);
  const recorded = deps.bundles.manifestJson(since);
  if (recorded === undefined) {
    throw new LarderError(
      "invalid_input",
      `--since ${since}: there is no such bundle file, and no bundle with that id in this mirror's history (larder bundle list shows them).`,
    );
  }
  return parseManifest(Buffer.from(recorded), `Recorded bundle ${since}`);
}

/**
 * The content keys of the parent and of every ancestor the history knows: an incremental bundle on an incremental
 * bundle must not repeat what the grandparent carried. An ancestor missing from the history only makes the new
 * bundle larger (import skips what is present), never incomplete.
 */
function chainKeys(deps: ExportDependencies, parent: BundleManifest): Set<string> {
  const keys = contentKeys(parent);
  const seen = new Set([parent.id]);
  for (let ancestor = parent.parent?.id; ancestor !== undefined && !seen.has(ancestor);) {
    seen.add(ancestor);
    const recorded = deps.bundles.manifestJson(ancestor);
    if (recorded === undefined) break;
    const manifest = parseManifest(Buffer.from(recorded), `Recorded bundle ${ancestor}`);
    for (const key of contentKeys(manifest)) keys.add(key);
    ancestor = manifest.parent?.id;
  }
  return keys;
}

/** A planned export: the plan, its signature and exact tar size, before any byte is written. */
interface PreparedExport {
  readonly plan: BundlePlan;
  readonly signed: { readonly signature: Uint8Array; readonly keyId: string } | undefined;
  readonly tarBytes: number;
  readonly providerPackages: number;
  readonly moduleVersions: number;
}

async function prepareExport(
  deps: ExportDependencies,
  request: Omit<ExportRequest, "file">,
  hooks: ExportHooks,
): Promise<PreparedExport> {
  const parent = request.since === undefined ? undefined : await parentManifest(deps, request.since);
  const plan = await planBundle({
    packages: deps.providers.allPackages(),
    modules: deps.modules.all(),
    selection: request.selection,
    parent: parent && { manifest: parent, contentKeys: chainKeys(deps, parent) },
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    larderVersion: deps.larderVersion,
    blobSize: async (sha256) => {
      try {
        return (await stat(deps.store.pathOf(sha256))).size;
      } catch (error) {
        throw new LarderError(
          "storage_failed",
          `The stored blob ${sha256} is missing (${errorMessage(error)}); re-mirror its package.`,
        );
      }
    },
  });
  const providerPackages = plan.manifest.entries.filter((entry) => entry.kind === "provider-package").length;
  const moduleVersions = plan.manifest.entries.filter((entry) => entry.kind === "module-archive").length;
  if (providerPackages + moduleVersions === 0) {
    throw new LarderError(
      "invalid_input",
      parent
        ? `Nothing to export: everything selected is already in bundle ${parent.id}. No bundle was written.`
        : "Nothing to export: the mirror holds nothing that matches the selection. No bundle was written.",
    );
  }
  const signed = request.signKey
    ? await signBundleSums(plan.sumsBytes, request.signKey.armored, request.signKey.passphrase)
    : undefined;
  const tarBytes = plannedTarSize(plan, signed?.signature);
  hooks.onPlanned?.(plan, tarBytes);
  return { plan, signed, tarBytes, providerPackages, moduleVersions };
}

/** Records a written bundle in the history, so a later export can be incremental on it by id. */
function recordExport(
  deps: ExportDependencies,
  prepared: PreparedExport,
  file: string,
  fileBytes: number,
): ExportResult {
  const { plan, signed, providerPackages, moduleVersions } = prepared;
  deps.bundles.recordExport(
    {
      id: plan.manifest.id,
      parentId: plan.manifest.parent?.id ?? null,
      bundleCreatedAt: plan.manifest.createdAt,
      file,
      size: fileBytes,
      providerPackages,
      moduleVersions,
      entries: plan.manifest.entries.length,
      signedBy: signed?.keyId ?? null,
    },
    plan.manifestBytes.toString("utf8"),
  );
  return {
    manifest: plan.manifest,
    tarBytes: prepared.tarBytes,
    fileBytes,
    providerPackages,
    moduleVersions,
    signedBy: signed?.keyId,
  };
}

/**
 * `larder bundle export`: plans the bundle from what is stored (optionally only what an earlier bundle lacks),
 * signs its SHA256SUMS when asked, reports the exact tar size, streams it to the file and records it in the
 * history.
 */
export async function exportBundle(
  deps: ExportDependencies,
  request: ExportRequest,
  hooks: ExportHooks = {},
): Promise<ExportResult> {
  const prepared = await prepareExport(deps, request, hooks);
  const file = resolve(request.file);
  // The tar size bounds a gzip-compressed bundle too (provider zips and module archives do not shrink).
  await ensureFreeSpace(dirname(file), prepared.tarBytes, `Writing the bundle ${file}`);
  await writeBundle(prepared.plan, prepared.signed?.signature, file, {
    store: deps.store,
    gzip: request.gzip,
    onProgress: hooks.onProgress,
  });
  return recordExport(deps, prepared, file, (await stat(file)).size);
}

/** What an export of `request` would write, without writing it: the counts and the exact tar size. */
export interface ExportPlanSummary {
  readonly tarBytes: number;
  readonly providerPackages: number;
  readonly moduleVersions: number;
  readonly parentId: string | null;
  readonly signedBy: string | undefined;
}

/**
 * Plans an export and stops before the first byte: the UI shows the exact size before a person commits to a
 * download. Signing (when a key is given) is part of the plan, since the signature is part of the tar.
 */
export async function planExport(
  deps: ExportDependencies,
  request: Omit<ExportRequest, "file" | "gzip">,
): Promise<ExportPlanSummary> {
  const prepared = await prepareExport(deps, { ...request, gzip: false }, {});
  return {
    tarBytes: prepared.tarBytes,
    providerPackages: prepared.providerPackages,
    moduleVersions: prepared.moduleVersions,
    parentId: prepared.plan.manifest.parent?.id ?? null,
    signedBy: prepared.signed?.keyId,
  };
}

/**
 * The browser's export: the same bundle streamed to `out` (an HTTP response) as it is read from the store.
 * `onPlanned` fires before the first byte, so the caller can send the exact Content-Length. It is recorded in
 * the history under `label` once the last byte is written.
 */
export async function exportBundleToStream(
  deps: ExportDependencies,
  request: Omit<ExportRequest, "file">,
  out: Writable,
  label: string,
  hooks: ExportHooks = {},
): Promise<ExportResult> {
  const prepared = await prepareExport(deps, request, hooks);
  await streamBundle(prepared.plan, prepared.signed?.signature, out, {
    store: deps.store,
    gzip: request.gzip,
    onProgress: hooks.onProgress,
  });
  return recordExport(deps, prepared, label, prepared.tarBytes);
}
