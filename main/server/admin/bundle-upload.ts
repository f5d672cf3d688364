import { createWriteStream } from "node:fs";
import { rm, statfs } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import { LarderError } from "../../core/errors.js";
import type { Larder } from "../../engine/larder.js";

/** Room left free beyond an upload, as for downloads (the database and other writers must not starve). */
const MARGIN_BYTES = 64 * 1024 * 1024;

/** Whether a request carries a bundle file as its body rather than JSON naming a path. */
export function isBundleUpload(req: Request): boolean {
  return /^(application\/(x-tar|gzip|x-gzip|octet-stream))\b/i.test(req.get("content-type") ?? "");
}

/**
 * Streams an uploaded bundle into the store's temp folder (same file system as the blobs, so an import renames
 * instead of copying), refusing it once it outgrows the free space. Returns the staged file and its size; the
 * caller removes it.
 */
export async function stageUpload(
  larder: Larder,
  req: Request,
): Promise<{ readonly file: string; readonly size: number }> {
  const file = larder.store.tempPath("upload-", ".bundle");
  const info = await statfs(larder.dataDir).catch(() => undefined);
  const limit = info === undefined ? Number.MAX_SAFE_INTEGER : info.bavail * info.bsize - MARGIN_BYTES;
  const declared = Number(req.get("content-length") ?? Number.NaN);
  const tooLarge = (): LarderError =>
    new LarderError(
      "too_large",
      `The upload does not fit: ${Math.max(0, Math.floor(limit / 1024 / 1024))} MiB are free in ${larder.dataDir}. Free some space, or import from a path on this machine.`,
    );
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(size > limit ? tooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(req, meter, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { file, size };
}
