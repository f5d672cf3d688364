import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform, type TransformCallback, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tarStream from "tar-stream";
import { LarderError } from "../core/errors.js";
import { fsyncDirectory, WriteBehind } from "../store/durable-file.js";
import type { BlobStore } from "../store/blob-store.js";
import { BUNDLE_SIGNATURE_PATH, BUNDLE_SUMS_PATH, MANIFEST_PATH } from "./bundle-manifest.js";
import type { BundlePlan } from "./bundle-plan.js";
import { storageError } from "../store/blob-store.js";
import { tarSize } from "./tar-size.js";

/**
 * Blobs are read, hashed and written in 1 MiB chunks: the 64 KiB default made a 2 GB export 32,000 rounds of
 * read, hash update, tar write and file write, each with its stream bookkeeping.
 */
const CHUNK_BYTES = 1024 * 1024;

/** One tar entry to write, in order. */
interface TarItem {
  readonly path: string;
  readonly size: number;
  readonly open: () => Readable;
  /** Expected sha256 of a stored blob, checked as it streams (blobs are verified on read for export). */
  readonly sha256?: string;
}

function items(plan: BundlePlan, signature: Uint8Array | undefined, store: BlobStore): TarItem[] {
  const bytes = (path: string, data: Uint8Array): TarItem => ({
    path,
    size: data.length,
    open: () => Readable.from([data]),
  });
  return [
    bytes(MANIFEST_PATH, plan.manifestBytes),
    bytes(BUNDLE_SUMS_PATH, plan.sumsBytes),
    ...(signature ? [bytes(BUNDLE_SIGNATURE_PATH, signature)] : []),
    ...plan.files.map((file) =>
      file.source === "bytes"
        ? bytes(file.path, file.bytes)
        : {
            path: file.path,
            size: file.size,
            sha256: file.sha256,
            open: () => store.createReadStream(file.sha256, { highWaterMark: CHUNK_BYTES }),
          },
    ),
  ];
}

/** The exact size of the (uncompressed) tar the plan produces: printed before writing. */
export function plannedTarSize(plan: BundlePlan, signature: Uint8Array | undefined): number {
  const sizes = [
    { path: MANIFEST_PATH, size: plan.manifestBytes.length },
    { path: BUNDLE_SUMS_PATH, size: plan.sumsBytes.length },
    ...(signature ? [{ path: BUNDLE_SIGNATURE_PATH, size: signature.length }] : []),
    ...plan.files,
  ];
  return tarSize(sizes);
}

/** Re-hashes a stored blob while it is copied, so a damaged store never produces a bundle that claims otherwise. */
function verifyingStream(item: TarItem): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hash.digest("hex");
      if (item.sha256 !== undefined && actual !== item.sha256) {
        callback(
          new LarderError(
            "storage_failed",
            `The stored blob ${item.sha256} for ${item.path} is damaged (its bytes hash to ${actual}). Re-mirror that package; no bundle was written.`,
          ),
        );
        return;
      }
      callback();
    },
  });
}

/**
 * Streams the bundle into `file` (gzip-compressed when asked): manifest first, then SHA256SUMS, its signature and
 * every file. Written to a temp name beside the target and renamed when complete, so a failed export leaves no
 * half bundle. `onProgress` sees tar bytes (before compression).
 */
export async function writeBundle(
  plan: BundlePlan,
  signature: Uint8Array | undefined,
  file: string,
  options: { store: BlobStore; gzip: boolean; onProgress?: (done: number) => void },
): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.partial`);
  // Created first and flushed in the background as the bundle grows: the fsync before the rename then finds
  // little left to write instead of the whole bundle.
  const durable = await WriteBehind.create(temp).catch((error: unknown) => {
    throw storageError(error, `write the bundle ${file}`);
  });
  const pack = tarStream.pack();
  const counter = countingStream((done) => {
    options.onProgress?.(done);
    durable.written(done);
  });
  // Room for a few chunks, so reading the next blob chunk overlaps with writing the last.
  const out = createWriteStream(temp, { flags: "r+", highWaterMark: 4 * CHUNK_BYTES });
  const written = options.gzip ? pipeline(pack, counter, createGzip(), out) : pipeline(pack, counter, out);
  // Observed below; without this an early failure of the output would be an unhandled rejection.
  written.catch(() => undefined);
  try {
    await packEntries(pack, plan, signature, options.store);
    await written;
    await durable.finish();
    await rename(temp, file);
    await fsyncDirectory(dirname(file));
  } catch (error) {
    pack.destroy();
    await written.catch(() => undefined);
    await durable.abandon();
    await rm(temp, { force: true });
    throw storageError(error, `write the bundle ${file}`);
  }
}

/**
 * Streams a planned bundle into `out` (an HTTP response): the same tar as writeBundle, verified chunk by chunk
 * as it is read. A failure destroys `out`, so a reader sees a cut download, never a short tar that looks whole.
 */
export async function streamBundle(
  plan: BundlePlan,
  signature: Uint8Array | undefined,
  out: Writable,
  options: { store: BlobStore; gzip: boolean; onProgress?: (done: number) => void },
): Promise<void> {
  const pack = tarStream.pack();
  const counter = countingStream((done) => options.onProgress?.(done));
  const written = options.gzip ? pipeline(pack, counter, createGzip(), out) : pipeline(pack, counter, out);
  written.catch(() => undefined);
  try {
    await packEntries(pack, plan, signature, options.store);
    await written;
  } catch (error) {
    pack.destroy();
    out.destroy(error instanceof Error ? error : undefined);
    await written.catch(() => undefined);
    throw storageError(error, "stream the bundle");
  }
}

/** Adds every file of the bundle to the tar in order, each verified against its hash as it is read, then ends it. */
async function packEntries(
  pack: tarStream.Pack,
  plan: BundlePlan,
  signature: Uint8Array | undefined,
  store: BlobStore,
): Promise<void> {
  const mtime = new Date(plan.manifest.createdAt);
  for (const item of items(plan, signature, store)) {
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry(
        { name: item.path, size: item.size, mode: 0o644, mtime, type: "file" },
        (error) => {
          if (error) reject(error);
          else resolve();
        },
      );
      pipeline(item.open(), verifyingStream(item), entry).catch(reject);
    });
  }
  pack.finalize();
}

/** Passes the tar's bytes on, telling `onCount` how many have gone through so far (progress, write-behind). */
function countingStream(onCount: (done: number) => void): Transform {
  let done = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      done += chunk.length;
      onCount(done);
      callback(null, chunk);
    },
  });
}
