import { LarderError } from "../core/errors.js";
import type { BundleRepository } from "../db/bundle-repository.js";
import { withIngestSession, type IngestSessionRepository } from "../db/ingest-session-repository.js";
import type { ModuleRepository, ModuleVersionRecord } from "../db/module-repository.js";
import type {
  BlobRecord,
  PackageRecord,
  ProviderRepository,
  ReleaseRecord,
} from "../db/provider-repository.js";
import type { BlobStore } from "../store/blob-store.js";
import type { BundleManifest, ModuleArchiveEntry, ProviderPackageEntry } from "./bundle-manifest.js";
import { checkBundle } from "./bundle-checks.js";
import { readBundle, readBundleManifest, type BundleContents } from "./bundle-reader.js";
import { firstFailure, type BundleReport } from "./bundle-report.js";
import { releaseKey } from "./entry-keys.js";

/** What import needs from the rest of the engine. */
export interface ImportDependencies {
  readonly store: BlobStore;
  readonly providers: ProviderRepository;
  readonly modules: ModuleRepository;
  readonly bundles: BundleRepository;
  /** Where the import registers itself so a concurrent `larder gc` keeps the blobs it commits. */
  readonly sessions: IngestSessionRepository;
}

/** The result of `larder bundle import`. */
export type ImportOutcome =
  | {
      readonly status: "imported";
      readonly report: BundleReport;
      readonly providerPackages: number;
      readonly moduleVersions: number;
      /** Entries this mirror already held. */
      readonly alreadyPresent: number;
    }
  | { readonly status: "already-imported"; readonly bundleId: string };

/** A package's release row and the blobs it references, from the manifest's SHA256SUMS and signature entries. */
function releaseOf(
  manifest: BundleManifest,
  pkg: ProviderPackageEntry,
): { release: ReleaseRecord; blobs: BlobRecord[] } {
  const key = releaseKey(pkg);
  const shasums = manifest.entries.find(
    (entry) => entry.kind === "provider-shasums" && releaseKey(entry) === key,
  );
  const signature = manifest.entries.find(
    (entry) => entry.kind === "provider-signature" && releaseKey(entry) === key,
  );
  // checkBundle has already failed any package whose release files are missing; this guards the types.
  if (shasums?.kind !== "provider-shasums" || signature?.kind !== "provider-signature") {
    throw new LarderError(
      "verification_failed",
      `${pkg.path}: the bundle lacks the SHA256SUMS or signature of ${key}.`,
    );
  }
  const release: ReleaseRecord = {
    host: pkg.host,
    namespace: pkg.namespace,
    type: pkg.type,
    version: pkg.version,
    shasumsBlob: shasums.sha256,
    signatureBlob: signature.sha256,
    signingKeysJson: JSON.stringify(signature.signingKeys),
    verifiedKeyId: shasums.signingKeyId,
    signed: shasums.verification.status === "verified",
    shasumsUrl: shasums.url,
    signatureUrl: signature.url,
  };
  const blobs = [shasums, signature, pkg].map(({ sha256, size }) => ({ sha256, size }));
  return { release, blobs };
}

function packageRecord(pkg: ProviderPackageEntry): PackageRecord {
  return {
    os: pkg.os,
    arch: pkg.arch,
    filename: pkg.filename,
    protocols: pkg.protocols,
    archiveBlob: pkg.sha256,
    size: pkg.size,
    h1: pkg.h1,
    downloadUrl: pkg.url,
  };
}

function moduleRecord(module: ModuleArchiveEntry): ModuleVersionRecord {
  return {
    host: module.host,
    namespace: module.namespace,
    name: module.name,
    system: module.system,
    version: module.version,
    archiveBlob: module.sha256,
    size: module.size,
    subdir: module.subdir,
    sourceKind: module.sourceKind,
    upstreamLocation: module.url,
  };
}

/** Refuses an incremental bundle whose parent this mirror has never seen, naming the parent. */
function checkParent(deps: ImportDependencies, manifest: BundleManifest, file: string): void {
  const parent = manifest.parent;
  if (parent && deps.bundles.find(parent.id).length === 0) {
    throw new LarderError(
      "invalid_input",
      `Bundle ${file} is incremental on bundle ${parent.id} (created ${parent.createdAt}), which this mirror has neither imported nor exported. Import bundle ${parent.id} first; nothing was written.`,
    );
  }
}

/**
 * What vouches for a bundle on import. Its provider packages carry the registry's signatures, but with the keys
 * from the same file: whoever can change the file can re-sign them. So a bundle is imported only when its
 * SHA256SUMS is signed by a key the user trusts, or when the user says so explicitly ("unchecked").
 */
export type BundleTrust =
  { readonly kind: "key"; readonly armoredKey: string } | { readonly kind: "unchecked" };

/**
 * `larder bundle import`: reads the bundle into the store's temp area, runs every check of `bundle verify`, and
 * only then moves the blobs into the store and makes everything visible in one transaction. Any failure leaves
 * the mirror as it was (staged files are removed). A bundle imported before is a no-op.
 */
export async function importBundle(
  deps: ImportDependencies,
  file: string,
  fileSize: number,
  trust: BundleTrust,
  /** What the history records as the bundle's file: an upload's staged copy is gone once imported. */
  label = file,
): Promise<ImportOutcome> {
  const trustedKey = trust.kind === "key" ? trust.armoredKey : undefined;
  // Decided from the manifest alone, before the whole bundle is read and checked: a re-import costs nothing. A
  // manifest that cannot be read here is refused below by the full reader, with its exact reason.
  const early = await readBundleManifest(file).catch(() => undefined);
  if (early && deps.bundles.find(early.id).some((record) => record.direction === "import")) {
    return { status: "already-imported", bundleId: early.id };
  }
  return withIngestSession(deps.sessions, () => readAndCommit(deps, file, fileSize, trustedKey, label));
}

async function readAndCommit(
  deps: ImportDependencies,
  file: string,
  fileSize: number,
  trustedKey: string | undefined,
  label: string,
): Promise<ImportOutcome> {
  const contents = await readBundle(file, deps.store);
  try {
    const report = await checkBundle(contents, trustedKey);
    const failure = firstFailure(report);
    if (failure !== undefined) {
      throw new LarderError(
        "verification_failed",
        `Bundle ${file} failed verification (${failure}); nothing was imported. Run larder bundle verify for the full report.`,
      );
    }
    const { manifest } = contents;
    checkParent(deps, manifest, file);
    return await commit(deps, contents, label, fileSize, report);
  } finally {
    for (const staged of contents.files.values()) await deps.store.discard(staged);
  }
}

async function commit(
  deps: ImportDependencies,
  contents: BundleContents,
  file: string,
  fileSize: number,
  report: BundleReport,
): Promise<ImportOutcome> {
  const { manifest } = contents;
  // Checked once before any blob is committed (a refusal leaves nothing behind), and again inside the transaction,
  // where a concurrent writer (serve --pull-through) cannot slip the same package in between check and insert.
  let plan = planInserts(deps, manifest);
  // Blobs first: a blob no row references is invisible, so a crash before the transaction changes nothing served.
  for (const entry of manifest.entries) {
    const staged = contents.files.get(entry.path);
    if (staged && entry.kind !== "document") await deps.store.commit(staged);
  }
  const signature = report.signature;
  deps.bundles.importInTransaction(
    {
      id: manifest.id,
      parentId: manifest.parent?.id ?? null,
      bundleCreatedAt: manifest.createdAt,
      file,
      size: fileSize,
      providerPackages: manifest.entries.filter((entry) => entry.kind === "provider-package").length,
      moduleVersions: manifest.entries.filter((entry) => entry.kind === "module-archive").length,
      entries: manifest.entries.length,
      // Only a signature checked against the key the user trusts says who sent it; an unchecked one is a claim.
      signedBy: signature.status === "trusted" ? signature.keyId : null,
    },
    contents.manifestBytes.toString("utf8"),
    () => {
      plan = planInserts(deps, manifest);
      for (const pkg of plan.packages) {
        const { release, blobs } = releaseOf(manifest, pkg);
        deps.providers.insertPackage(release, packageRecord(pkg), blobs);
      }
      for (const module of plan.modules)
        deps.modules.insert(moduleRecord(module), { sha256: module.sha256, size: module.size });
    },
  );
  return {
    status: "imported",
    report,
    providerPackages: plan.packages.length,
    moduleVersions: plan.modules.length,
    alreadyPresent: plan.alreadyPresent,
  };
}

/** The entries this mirror lacks; refuses when it holds one of them with different bytes. */
function planInserts(
  deps: ImportDependencies,
  manifest: BundleManifest,
): { packages: ProviderPackageEntry[]; modules: ModuleArchiveEntry[]; alreadyPresent: number } {
  const packages: ProviderPackageEntry[] = [];
  const modules: ModuleArchiveEntry[] = [];
  let alreadyPresent = 0;
  for (const entry of manifest.entries) {
    if (entry.kind === "provider-package") {
      const existing = deps.providers.findPackage(entry, entry.os, entry.arch);
      if (!existing) packages.push(entry);
      else if (existing.archiveBlob === entry.sha256) alreadyPresent++;
      else {
        throw new LarderError(
          "verification_failed",
          `${entry.path}: this mirror already holds ${releaseKey(entry)} ${entry.os}_${entry.arch} with sha256 ${existing.archiveBlob}, but the bundle's has ${entry.sha256}. The release differs between the two sides; nothing was imported.`,
        );
      }
    } else if (entry.kind === "module-archive") {
      const existing = deps.modules.find(entry);
      if (!existing) modules.push(entry);
      else if (existing.archiveBlob === entry.sha256) alreadyPresent++;
      else {
        throw new LarderError(
          "verification_failed",
          `${entry.path}: this mirror already holds module ${entry.host}/${entry.namespace}/${entry.name}/${entry.system} ${entry.version} with a different archive (sha256 ${existing.archiveBlob}); nothing was imported.`,
        );
      }
    }
  }
  return { packages, modules, alreadyPresent };
}
