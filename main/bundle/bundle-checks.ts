import { readFile } from "node:fs/promises";
import { OPENTOFU_REGISTRY_HOST } from "../core/clients.js";
import { errorMessage } from "../core/errors.js";
import { h1Hash, zhHash } from "../core/package-hashes.js";
import { parseSha256Sums } from "../core/sha256sums.js";
import type { StagedBlob } from "../store/blob-store.js";
import { hashZipEntries } from "../store/zip-entry-hashes.js";
import { verifyDetachedSignature } from "../upstream/signature-verifier.js";
import { MANIFEST_PATH, type BundleEntry, type BundleManifest } from "./bundle-manifest.js";
import {
  moduleArchivePath,
  providerArchivePath,
  providerShasumsPath,
  providerSignaturePath,
} from "./bundle-layout.js";
import type { BundleContents } from "./bundle-reader.js";
import type { BundleReport, EntryResult, SumsResult } from "./bundle-report.js";
import { checkBundleSignature } from "./bundle-signature.js";
import { sha256Hex } from "./bundle-sums.js";
import { releaseKey } from "./entry-keys.js";

/** The verified content of one provider release's SHA256SUMS, or why it could not be trusted. */
type ReleaseCheck =
  /** `keyId` undefined: a keyless release whose SHA256SUMS is trusted on the archive checksums alone. */
  | { readonly status: "ok"; readonly keyId: string | undefined; readonly sums: Map<string, string> }
  | { readonly status: "failed"; readonly reason: string };

function expectedPath(entry: BundleEntry): string | undefined {
  switch (entry.kind) {
    case "provider-package":
      return providerArchivePath(entry, entry.os, entry.arch);
    case "provider-shasums":
      return providerShasumsPath(entry);
    case "provider-signature":
      return providerSignaturePath(entry);
    case "module-archive":
      return moduleArchivePath(entry);
    case "document":
      return undefined;
  }
}

function checkSums(contents: BundleContents): { result: SumsResult; lines: Map<string, string> } {
  if (!contents.sums)
    return { result: { status: "failed", reasons: ["the bundle has no SHA256SUMS"] }, lines: new Map() };
  let lines: Map<string, string>;
  try {
    lines = parseSha256Sums(contents.sums.toString("utf8"), "The bundle's SHA256SUMS");
  } catch (error) {
    return { result: { status: "failed", reasons: [errorMessage(error)] }, lines: new Map() };
  }
  const reasons: string[] = [];
  if (lines.get(MANIFEST_PATH) !== sha256Hex(contents.manifestBytes)) {
    reasons.push("manifest.json does not match its SHA256SUMS line (the manifest was changed)");
  }
  const listed = new Set(contents.manifest.entries.map((entry) => entry.path));
  for (const path of lines.keys()) {
    if (path !== MANIFEST_PATH && !listed.has(path))
      reasons.push(`${path} is in SHA256SUMS but not in the manifest`);
  }
  for (const path of listed) if (!lines.has(path)) reasons.push(`${path} is missing from SHA256SUMS`);
  return { result: reasons.length === 0 ? { status: "ok" } : { status: "failed", reasons }, lines };
}

async function checkRelease(
  manifest: BundleManifest,
  files: ReadonlyMap<string, StagedBlob>,
  key: string,
): Promise<ReleaseCheck> {
  const shasums = manifest.entries.find(
    (entry) => entry.kind === "provider-shasums" && releaseKey(entry) === key,
  );
  const signature = manifest.entries.find(
    (entry) => entry.kind === "provider-signature" && releaseKey(entry) === key,
  );
  if (shasums?.kind !== "provider-shasums" || signature?.kind !== "provider-signature") {
    return { status: "failed", reason: `the bundle lacks the SHA256SUMS or signature of ${key}` };
  }
  const sumsFile = files.get(shasums.path);
  const sigFile = files.get(signature.path);
  if (!sumsFile || !sigFile)
    return { status: "failed", reason: `the SHA256SUMS or signature file of ${key} is missing` };
  try {
    const sumsBytes = await readFile(sumsFile.tempPath);
    if (shasums.verification.status === "unsigned") {
      // Only what tofu itself accepts unsigned may arrive unsigned; anything else was rewritten.
      if (shasums.host !== OPENTOFU_REGISTRY_HOST || signature.signingKeys.length > 0) {
        return {
          status: "failed",
          reason: `marked unsigned, but only keyless ${OPENTOFU_REGISTRY_HOST} providers may be unsigned`,
        };
      }
      return {
        status: "ok",
        keyId: undefined,
        sums: parseSha256Sums(sumsBytes.toString("utf8"), `Provider ${key}`),
      };
    }
    const { keyId } = await verifyDetachedSignature(
      sumsBytes,
      await readFile(sigFile.tempPath),
      signature.signingKeys.map((signingKey) => signingKey.ascii_armor),
      `Provider ${key}`,
    );
    if (keyId !== shasums.signingKeyId) {
      return {
        status: "failed",
        reason: `signed by ${keyId}, but the manifest records ${shasums.signingKeyId}`,
      };
    }
    return { status: "ok", keyId, sums: parseSha256Sums(sumsBytes.toString("utf8"), `Provider ${key}`) };
  } catch (error) {
    return { status: "failed", reason: errorMessage(error) };
  }
}

async function checkEntry(
  entry: BundleEntry,
  file: StagedBlob | undefined,
  sumsLine: string | undefined,
  release: ReleaseCheck | undefined,
): Promise<EntryResult> {
  const checks: string[] = [];
  const reasons: string[] = [];
  const check = (ok: boolean, passed: string, failed: string): void => {
    if (ok) checks.push(passed);
    else reasons.push(failed);
  };
  if (!file) {
    return { status: "failed", path: entry.path, kind: entry.kind, reasons: ["missing from the bundle"] };
  }
  check(file.size === entry.size, "size", `size ${file.size} differs from the manifest's ${entry.size}`);
  check(
    file.sha256 === entry.sha256,
    "sha256",
    `sha256 ${file.sha256} differs from the manifest's ${entry.sha256}`,
  );
  check(
    sumsLine === file.sha256,
    "SHA256SUMS",
    `the bundle's SHA256SUMS says ${sumsLine ?? "nothing"} for it`,
  );
  const path = expectedPath(entry);
  if (path !== undefined) check(path === entry.path, "layout", `lies at ${entry.path} instead of ${path}`);
  if (
    entry.kind === "provider-shasums" ||
    entry.kind === "provider-signature" ||
    entry.kind === "provider-package"
  ) {
    if (release?.status === "ok")
      checks.push(
        release.keyId === undefined
          ? "UNSIGNED (no registry keys; checksums only)"
          : `signed by ${release.keyId}`,
      );
    else reasons.push(`release signature check failed: ${release?.reason ?? "not checked"}`);
  }
  if (entry.kind === "provider-package") {
    check(entry.zh === zhHash(file.sha256), "zh", `zh ${entry.zh} does not match the archive`);
    if (release?.status === "ok") {
      const signed = release.sums.get(entry.filename);
      check(
        signed === file.sha256,
        "signed sha256",
        `the signed SHA256SUMS says ${signed ?? "nothing"} for ${entry.filename}`,
      );
    }
    try {
      const h1 = h1Hash(await hashZipEntries(file.tempPath, `Provider archive ${entry.path}`));
      check(h1 === entry.h1, "h1", `h1 ${h1} differs from the manifest's ${entry.h1}`);
    } catch (error) {
      reasons.push(`h1 cannot be computed: ${errorMessage(error)}`);
    }
  }
  return reasons.length === 0
    ? { status: "ok", path: entry.path, kind: entry.kind, checks }
    : { status: "failed", path: entry.path, kind: entry.kind, reasons };
}

/**
 * Re-checks a read bundle offline: its SHA256SUMS against the manifest and every file, each file's size and
 * sha256, each provider release's SHA256SUMS signature with the keys inside, each archive's signed line and
 * `h1:`, and the bundle signature (against `trustedKey` when given).
 */
export async function checkBundle(
  contents: BundleContents,
  trustedKey: string | undefined,
): Promise<BundleReport> {
  const { manifest, files } = contents;
  const sums = checkSums(contents);
  const releases = new Map<string, ReleaseCheck>();
  for (const entry of manifest.entries) {
    if (entry.kind === "document" || entry.kind === "module-archive") continue;
    const key = releaseKey(entry);
    if (!releases.has(key)) releases.set(key, await checkRelease(manifest, files, key));
  }
  const entries: EntryResult[] = [];
  for (const entry of manifest.entries) {
    const release =
      entry.kind === "document" || entry.kind === "module-archive"
        ? undefined
        : releases.get(releaseKey(entry));
    entries.push(await checkEntry(entry, files.get(entry.path), sums.lines.get(entry.path), release));
  }
  const signature = contents.sums
    ? await checkBundleSignature(contents.sums, contents.signature, trustedKey)
    : ({ status: "failed", reason: "there is no SHA256SUMS to check a signature of" } as const);
  const ok =
    sums.result.status === "ok" &&
    signature.status !== "failed" &&
    entries.every((entry) => entry.status === "ok");
  return {
    bundleId: manifest.id,
    createdAt: manifest.createdAt,
    larderVersion: manifest.larderVersion,
    parentId: manifest.parent?.id ?? null,
    ok,
    sums: sums.result,
    signature,
    entries,
  };
}
