import { open, type FileHandle } from "node:fs/promises";
import type { Request, Response } from "express";
import { LarderError } from "../core/errors.js";
import { pumpFileRange } from "./file-range-pump.js";

/** A stored, immutable blob to answer a request with. */
export interface BlobAnswer {
  readonly path: string;
  readonly sha256: string;
  readonly contentType: string;
}

/** The single byte range to send, or the whole file; undefined when the range cannot be satisfied (416). */
function rangeOf(req: Request, size: number, etag: string): { start: number; end: number } | undefined {
  const whole = { start: 0, end: size - 1 };
  if (req.headers.range === undefined) return whole;
  // If-Range with another validator means "the file changed: send it whole" (RFC 9110 §13.1.5).
  const ifRange = req.headers["if-range"];
  if (ifRange !== undefined && ifRange !== etag) return whole;
  const ranges = req.range(size, { combine: true });
  // Malformed ranges are ignored, as the RFC allows; several ranges would need multipart, which no client asks for.
  if (ranges === undefined || ranges === -2 || (ranges !== -1 && ranges.length !== 1)) return whole;
  if (ranges === -1) return undefined;
  const [range] = ranges;
  return range && { start: range.start, end: range.end };
}

/**
 * Answers with an immutable blob: the sha256 as a strong ETag (If-None-Match → 304), exact Content-Length, one
 * byte range (with If-Range) so interrupted downloads resume, HEAD without a body. A blob missing from the store
 * is a damaged data dir, reported as such rather than as a 404 a client would take for "not mirrored".
 */
export async function sendBlob(req: Request, res: Response, blob: BlobAnswer): Promise<void> {
  let file: FileHandle;
  try {
    file = await open(blob.path, "r");
  } catch {
    throw new LarderError(
      "storage_failed",
      `The stored file ${blob.path} is missing: the data dir was changed outside Larder. ` +
        `Delete that version ("larder delete") and mirror it again.`,
    );
  }
  try {
    // The size of the file opened, so Content-Length always matches the bytes that follow.
    const size = (await file.stat()).size;
    const etag = `"${blob.sha256}"`;
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Content-Type", blob.contentType);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const range = rangeOf(req, size, etag);
    if (range === undefined) {
      res.setHeader("Content-Range", `bytes */${size}`);
      res.status(416).end();
      return;
    }
    const partial = range.start !== 0 || range.end !== size - 1;
    if (partial) res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    res.setHeader("Content-Length", String(size === 0 ? 0 : range.end - range.start + 1));
    res.status(partial ? 206 : 200);
    if (req.method === "HEAD" || size === 0) {
      res.end();
      return;
    }
    await pumpFileRange(file, res, range.start, range.end);
  } finally {
    await file.close();
  }
}
