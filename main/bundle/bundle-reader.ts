import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tarStream from "tar-stream";
import { errorMessage, LarderError } from "../core/errors.js";
import type { BlobStore, StagedBlob } from "../store/blob-store.js";
import { byteChunks } from "../store/archive/byte-chunks.js";
import { entryPath } from "../store/archive/entry-name.js";
import {
  BUNDLE_SIGNATURE_PATH,
  BUNDLE_SUMS_PATH,
  MANIFEST_PATH,
  parseManifest,
  type BundleEntry,
  type BundleManifest,
} from "./bundle-manifest.js";

/** What a bundle holds once read: the manifest, the bundle's SHA256SUMS and signature, every file staged. */
export interface BundleContents {
  readonly manifest: BundleManifest;
  readonly manifestBytes: Buffer;
  readonly sums: Buffer | undefined;
  readonly signature: Buffer | undefined;
  /** Staged files by bundle path; their sha256 is what was read, which the checks compare with the manifest. */
  readonly files: ReadonlyMap<string, StagedBlob>;
}

const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MAX_SIGNATURE_BYTES = 1024 * 1024;
const RESERVED = new Set([MANIFEST_PATH, BUNDLE_SUMS_PATH, BUNDLE_SIGNATURE_PATH]);

function refuse(bundle: string, entry: string, reason: string): LarderError {
  return new LarderError(
    "verification_failed",
    `${bundle}: refusing the bundle: entry ${JSON.stringify(entry)} ${reason}. Nothing was written.`,
  );
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r").catch((error: unknown) => {
    throw new LarderError("invalid_input", `Cannot open the bundle ${file}: ${errorMessage(error)}`);
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function readAll(
  source: AsyncIterable<unknown>,
  limit: number,
  bundle: string,
  name: string,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of byteChunks(source)) {
    size += chunk.length;
    if (size > limit) throw refuse(bundle, name, `is larger than the ${limit}-byte limit`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Checks the manifest's own paths before any file is read: safe, unique, not a reserved name. */
function expectedFiles(manifest: BundleManifest, bundle: string): Map<string, BundleEntry> {
  const expected = new Map<string, BundleEntry>();
  for (const entry of manifest.entries) {
    const checked = entryPath(entry.path, "tar");
    if (!checked.ok || checked.path !== entry.path) {
      throw refuse(
        bundle,
        entry.path,
        `is listed in the manifest with an unsafe path (${checked.ok ? "not normalised" : checked.reason})`,
      );
    }
    if (RESERVED.has(entry.path))
      throw refuse(bundle, entry.path, "is listed in the manifest under a reserved name");
    if (expected.has(entry.path)) throw refuse(bundle, entry.path, "is listed twice in the manifest");
    expected.set(entry.path, entry);
  }
  return expected;
}

/**
 * Streams a bundle (tar, gzip detected by its magic bytes) and stages every file into `store`'s temp area,
 * refusing hostile structure as soon as it shows, before that entry's bytes are written: anything but a regular
 * file, unsafe or non-normalised paths, duplicates, entries the manifest does not list, a size that disagrees with
 * the manifest, a manifest that is not first or is from a newer format. On refusal everything staged is removed.
 */
export async function readBundle(file: string, store: BlobStore): Promise<BundleContents> {
  const bundle = `Bundle ${file}`;
  const gzipped = await isGzip(file);
  const extract = tarStream.extract();
  // 1 MiB reads rather than 64 KiB: a 2 GB bundle is then 2,000 chunks through the tar parser and staging, not 32,000.
  const input = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const feeding = gzipped ? pipeline(input, createGunzip(), extract) : pipeline(input, extract);
  feeding.catch(() => undefined);
  const staged = new Map<string, StagedBlob>();
  let manifest: BundleManifest | undefined;
  let manifestBytes: Buffer | undefined;
  let expected = new Map<string, BundleEntry>();
  let sums: Buffer | undefined;
  let signature: Buffer | undefined;
  const seen = new Set<string>();
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const name = header.name;
      const type = header.type as string | null;
      if (type !== "file" && type !== "contiguous-file") {
        throw refuse(bundle, name, `is a ${type ?? "special entry"}; bundles hold only regular files`);
      }
      const checked = entryPath(name, "tar");
      if (!checked.ok) throw refuse(bundle, name, checked.reason);
      if (checked.path !== name)
        throw refuse(bundle, name, "has a path that is not normalised (./, // or a trailing /)");
      if (seen.has(name)) throw refuse(bundle, name, "appears twice");
      seen.add(name);
      if (!manifest) {
        if (name !== MANIFEST_PATH)
          throw refuse(bundle, name, "comes before manifest.json, which must be first");
        manifestBytes = await readAll(entry, MAX_MANIFEST_BYTES, bundle, name);
        manifest = parseManifest(manifestBytes, bundle);
        expected = expectedFiles(manifest, bundle);
        continue;
      }
      if (name === BUNDLE_SUMS_PATH) {
        sums = await readAll(entry, MAX_MANIFEST_BYTES, bundle, name);
        continue;
      }
      if (name === BUNDLE_SIGNATURE_PATH) {
        signature = await readAll(entry, MAX_SIGNATURE_BYTES, bundle, name);
        continue;
      }
      const listed = expected.get(name);
      if (!listed) throw refuse(bundle, name, "is not listed in the manifest");
      if (header.size !== listed.size) {
        throw refuse(
          bundle,
          name,
          `has ${String(header.size)} bytes in the tar, but the manifest says ${listed.size}`,
        );
      }
      staged.set(name, await store.stage(byteChunks(entry), { maxBytes: listed.size }));
    }
    await feeding;
  } catch (error) {
    extract.destroy();
    input.destroy();
    await feeding.catch(() => undefined);
    for (const blob of staged.values()) await store.discard(blob);
    if (error instanceof LarderError) throw error;
    throw new LarderError(
      "verification_failed",
      `${bundle} is not a readable ${gzipped ? "gzip-compressed " : ""}tar (${errorMessage(error)}). Nothing was written.`,
    );
  }
  if (!manifest || !manifestBytes) {
    throw new LarderError(
      "verification_failed",
      `${bundle} has no manifest.json; it is not a Larder bundle.`,
    );
  }
  return { manifest, manifestBytes, sums, signature, files: staged };
}

/** Reads only the manifest at the head of a bundle (for `--since FILE`), without staging anything. */
export async function readBundleManifest(file: string): Promise<BundleManifest> {
  const bundle = `Bundle ${file}`;
  const gzipped = await isGzip(file);
  const extract = tarStream.extract();
  const input = createReadStream(file);
  const feeding = gzipped ? pipeline(input, createGunzip(), extract) : pipeline(input, extract);
  feeding.catch(() => undefined);
  try {
    for await (const entry of extract) {
      if (entry.header.name !== MANIFEST_PATH || entry.header.type !== "file") break;
      return parseManifest(await readAll(entry, MAX_MANIFEST_BYTES, bundle, MANIFEST_PATH), bundle);
    }
  } catch (error) {
    if (error instanceof LarderError) throw error;
    throw new LarderError("verification_failed", `${bundle} is not a readable tar (${errorMessage(error)}).`);
  } finally {
    extract.destroy();
    input.destroy();
  }
  throw new LarderError(
    "verification_failed",
    `${bundle} does not start with manifest.json; it is not a Larder bundle.`,
  );
}
