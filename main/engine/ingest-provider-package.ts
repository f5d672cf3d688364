import { OPENTOFU_REGISTRY_HOST } from "../core/clients.js";
import { LarderError } from "../core/errors.js";
import { h1Hash, isSha256Hex } from "../core/package-hashes.js";
import { withKeyLock } from "../core/key-lock.js";
import { parseSha256Sums } from "../core/sha256sums.js";
import { withIngestSession, type IngestSessionRepository } from "../db/ingest-session-repository.js";
import type { PackageRecord, ProviderRepository, ReleaseRecord } from "../db/provider-repository.js";
import type { BlobStore, StagedBlob } from "../store/blob-store.js";
import type { StatfsFunction } from "../store/disk-space.js";
import { hashZipEntries } from "../store/zip-entry-hashes.js";
import type { UpstreamHttpClient } from "../upstream/http-client.js";
import type {
  ProviderRegistryClient,
  UpstreamProviderDownload,
} from "../upstream/provider-registry-client.js";
import { downloadResumable } from "../upstream/resumable-download.js";
import { verifyDetachedSignature } from "../upstream/signature-verifier.js";
import { describePackage, type ProviderPackageRef } from "./provider-package-ref.js";

/** What ingest needs from the rest of the engine. */
export interface IngestDependencies {
  readonly registry: ProviderRegistryClient;
  readonly http: UpstreamHttpClient;
  readonly store: BlobStore;
  readonly providers: ProviderRepository;
  /** Where this ingest registers itself so a concurrent `larder gc` keeps what it writes. */
  readonly sessions: IngestSessionRepository;
  readonly maxArchiveBytes: number;
  /** Free-space probe for the data directory (tests inject one); defaults to fs.statfs. */
  readonly statfs?: StatfsFunction;
  /** Refuse keyless providers even where tofu accepts them (`--require-signatures`). */
  readonly requireSignatures?: boolean;
}

/** A package just stored, and whether its signature was checked (false: keyless, tofu's rule). */
export type IngestedPackage = PackageRecord & { readonly signed: boolean };

/** Byte progress of one archive download. */
export type ProgressListener = (bytesDone: number, bytesTotal: number | undefined) => void;

interface SignedSums {
  readonly sums: Map<string, string>;
  readonly shasums: StagedBlob;
  readonly signature: StagedBlob;
  /** The verifying key, or undefined for a keyless provider stored on the checksums alone. */
  readonly keyId: string | undefined;
}

// A file name the registry gives us ends up in URLs, never on disk; still, refuse anything path-like.
const SAFE_FILENAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,254}$/;

/**
 * Downloads, verifies and stores one provider package (architecture §6): download JSON, SHA256SUMS and its
 * signature verified with the registry's keys, archive sha256 equal to both `shasum` and the SHA256SUMS line,
 * `h1:` computed from the zip's entries, then one transaction makes it visible. Any failed check stores nothing.
 * An archive the store already holds (same sha256) is not downloaded again; the checksum checks still run.
 */
export function ingestProviderPackage(
  deps: IngestDependencies,
  ref: ProviderPackageRef,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<IngestedPackage> {
  return withIngestSession(deps.sessions, () => ingestInSession(deps, ref, onProgress, signal));
}

async function ingestInSession(
  deps: IngestDependencies,
  ref: ProviderPackageRef,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<IngestedPackage> {
  // `what` starts error messages; request contexts read "the archive of provider …" in mid-sentence.
  const what = `Provider ${describePackage(ref)}`;
  const download = await deps.registry.getDownload(ref.address, ref.version, ref.platform, signal);
  checkDownloadAnswer(download, ref, what);
  checkKeys(deps, download, ref, what);
  const signed = await fetchSignedSums(deps, download, what, signal);
  const staged: StagedBlob[] = [signed.shasums, signed.signature];
  try {
    const existing = deps.providers.findRelease({ ...ref.address, version: ref.version });
    if (existing && existing.shasumsBlob !== signed.shasums.sha256) {
      throw new LarderError(
        "verification_failed",
        `${what}: the upstream SHA256SUMS differs from the one stored when other platforms of this version were mirrored. The release was changed upstream; refusing to mix the two.`,
      );
    }
    const listed = signed.sums.get(download.filename);
    if (listed === undefined) {
      throw new LarderError(
        "verification_failed",
        `${what}: the signed SHA256SUMS has no line for ${download.filename}.`,
      );
    }
    if (listed !== download.shasum) {
      throw new LarderError(
        "verification_failed",
        `${what}: the registry's shasum ${download.shasum} differs from the signed SHA256SUMS line ${listed}.`,
      );
    }
    // Under a lock per blob: the same zip wanted by two items at once (one per client's host) is downloaded once,
    // the second item finding it committed. Without it both checked the store before either had committed.
    const archive = await withKeyLock(deps.store, download.shasum, async () => {
      const found =
        (await findStoredArchive(deps, download.shasum, what)) ??
        (await fetchArchive(deps, download, what, staged, onProgress, signal));
      for (const blob of staged) await deps.store.commit(blob);
      return found;
    });
    const release: ReleaseRecord = {
      ...ref.address,
      version: ref.version,
      shasumsBlob: signed.shasums.sha256,
      signatureBlob: signed.signature.sha256,
      signingKeysJson: JSON.stringify(download.signingKeys),
      verifiedKeyId: signed.keyId ?? "",
      signed: signed.keyId !== undefined,
      shasumsUrl: download.shasumsUrl,
      signatureUrl: download.shasumsSignatureUrl,
    };
    const pkg: PackageRecord = {
      os: ref.platform.os,
      arch: ref.platform.arch,
      filename: download.filename,
      protocols: download.protocols,
      archiveBlob: archive.sha256,
      size: archive.size,
      h1: archive.h1,
      downloadUrl: download.downloadUrl,
    };
    // The archive is listed even when it was already stored: its blobs row may be missing (a blob file left by a
    // run that crashed before its insert), and INSERT OR IGNORE makes that harmless otherwise.
    const blobs = [signed.shasums, signed.signature, archive].map(({ sha256, size }) => ({ sha256, size }));
    deps.providers.insertPackage(release, pkg, blobs);
    return { ...pkg, signed: release.signed };
  } catch (error) {
    for (const blob of staged) await deps.store.discard(blob);
    throw error;
  }
}

/** The archive a package row points at: its blob and the `h1:` of its entries. */
interface VerifiedArchive {
  readonly sha256: string;
  readonly size: number;
  readonly h1: string;
}

/**
 * Never downloads the same bytes twice: when the store already holds a blob whose sha256 is the `shasum` this
 * registry's signed SHA256SUMS vouches for (the same zip under registry.terraform.io and registry.opentofu.org, or a
 * re-mirror after a row was deleted), that blob is the archive. Only called after the signature and the
 * SHA256SUMS line were checked against this registry's own documents, so reuse never weakens verification: the
 * store's blob names are the sha256 of their bytes, which is exactly what the archive check would compare.
 * `h1:` comes from a package that already records it, else from the stored zip.
 */
async function findStoredArchive(
  deps: IngestDependencies,
  sha256: string,
  what: string,
): Promise<VerifiedArchive | undefined> {
  // The touch is the existence check (see BlobStore.touch): a blob reused here is kept by a concurrent gc.
  const size = await deps.store.touch(sha256);
  if (size === undefined) return undefined;
  const h1 =
    deps.providers.findArchiveH1(sha256) ?? h1Hash(await hashZipEntries(deps.store.pathOf(sha256), what));
  return { sha256, size, h1 };
}

/**
 * Downloads the archive (staged into `staged`, so the caller commits or discards it with the checksums) and
 * checks its sha256 against the verified `shasum` before hashing its entries.
 */
async function fetchArchive(
  deps: IngestDependencies,
  download: UpstreamProviderDownload,
  what: string,
  staged: StagedBlob[],
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<VerifiedArchive> {
  const archive = await downloadArchive(deps, download, what, onProgress, signal);
  staged.push(archive);
  if (archive.sha256 !== download.shasum) {
    throw new LarderError(
      "verification_failed",
      `${what}: the downloaded archive has sha256 ${archive.sha256}, but the registry and its signed SHA256SUMS say ${download.shasum}. The archive was corrupted or tampered with; nothing was stored.`,
    );
  }
  const h1 = h1Hash(await hashZipEntries(archive.tempPath, what));
  return { sha256: archive.sha256, size: archive.size, h1 };
}

/**
 * Keys decide before anything is downloaded: a keyless answer is accepted only from registry.opentofu.org, as
 * tofu does, and only while signatures are not required.
 */
function checkKeys(
  deps: IngestDependencies,
  download: UpstreamProviderDownload,
  ref: ProviderPackageRef,
  what: string,
): void {
  if (download.signingKeys.length > 0) return;
  if (ref.address.host !== OPENTOFU_REGISTRY_HOST) {
    throw new LarderError(
      "verification_failed",
      `${what}: the registry returned no signing keys, so the SHA256SUMS signature cannot be checked. Refusing to store an unverifiable package (only ${OPENTOFU_REGISTRY_HOST} may serve keyless providers, as in tofu).`,
    );
  }
  if (deps.requireSignatures) {
    throw new LarderError(
      "verification_failed",
      `${what}: the registry has no signing keys for this provider and signatures are required (--require-signatures or LARDER_REQUIRE_SIGNATURES=1). Mirror it without that setting to accept it on its checksums alone, as tofu does.`,
    );
  }
}

function checkDownloadAnswer(
  download: UpstreamProviderDownload,
  ref: ProviderPackageRef,
  what: string,
): void {
  if (download.os !== ref.platform.os || download.arch !== ref.platform.arch) {
    throw new LarderError(
      "verification_failed",
      `${what}: the registry answered with a package for ${download.os}_${download.arch} instead.`,
    );
  }
  if (!SAFE_FILENAME.test(download.filename) || download.filename.includes("..")) {
    throw new LarderError(
      "verification_failed",
      `${what}: the registry's filename ${JSON.stringify(download.filename)} is not a plain file name; refusing it.`,
    );
  }
  if (!isSha256Hex(download.shasum)) {
    throw new LarderError(
      "verification_failed",
      `${what}: the registry's shasum ${JSON.stringify(download.shasum)} is not a sha256.`,
    );
  }
}

async function fetchSignedSums(
  deps: IngestDependencies,
  download: UpstreamProviderDownload,
  what: string,
  signal?: AbortSignal,
): Promise<SignedSums> {
  const sumsBytes = await deps.http.getBytes(
    download.shasumsUrl,
    { what: `the SHA256SUMS of ${lowerFirst(what)}`, signal },
    1024 * 1024,
  );
  const sigBytes = await deps.http.getBytes(
    download.shasumsSignatureUrl,
    { what: `the SHA256SUMS signature of ${lowerFirst(what)}`, signal },
    64 * 1024,
  );
  // checkKeys let a keyless answer through only where tofu skips the signature check too.
  const keyId =
    download.signingKeys.length === 0
      ? undefined
      : (
          await verifyDetachedSignature(
            sumsBytes,
            sigBytes,
            download.signingKeys.map((key) => key.ascii_armor),
            what,
          )
        ).keyId;
  const sums = parseSha256Sums(Buffer.from(sumsBytes).toString("utf8"), what);
  const shasums = await deps.store.stageBytes(sumsBytes);
  const signature = await deps.store.stageBytes(sigBytes);
  return { sums, shasums, signature, keyId };
}

/**
 * Downloads the archive into `tmp/<sha256 of the URL>.part`, resuming across retries and across runs (the partial
 * file survives a failed mirror), then stages the complete file. A verification failure later discards the staged
 * file, so the next attempt starts clean.
 */
async function downloadArchive(
  deps: IngestDependencies,
  download: UpstreamProviderDownload,
  what: string,
  onProgress?: ProgressListener,
  signal?: AbortSignal,
): Promise<StagedBlob> {
  const file = await downloadResumable({
    http: deps.http,
    url: download.downloadUrl,
    partialPath: deps.store.partialPathFor(download.downloadUrl),
    completePath: deps.store.stagingPath(),
    what: `the archive of ${lowerFirst(what)}`,
    maxBytes: deps.maxArchiveBytes,
    signal,
    onProgress,
    statfs: deps.statfs,
  });
  return deps.store.adopt(file.path, file.sha256, file.size);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
