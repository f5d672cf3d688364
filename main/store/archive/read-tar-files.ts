import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tarStream from "tar-stream";
import { asArchiveError } from "./archive-errors.js";

/** One file read out of an archive, at most `maxBytes` of it. */
export interface ReadTarFile {
  /** The entry name without a leading `./`. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The file was longer than what was kept. */
  readonly truncated: boolean;
}

/**
 * Reads the regular files WANTED picks out of a .tar.gz without unpacking anything to disk: a look at a few
 * small files (a README, the root `.tf` files) of a stored module should not cost writing its whole tree. Each
 * file keeps at most MAX_BYTES; the rest of it, and every other entry, is read past.
 */
export async function readTarGzFiles(
  file: string,
  wanted: (name: string) => boolean,
  maxBytes: number,
  context: string,
): Promise<ReadTarFile[]> {
  const found: ReadTarFile[] = [];
  const extract = tarStream.extract();
  extract.on("entry", (header, source, next) => {
    const name = header.name.replace(/^(\.\/)+/, "");
    const type = header.type as string | null;
    if ((type !== "file" && type !== "contiguous-file") || !wanted(name)) {
      source.on("end", () => {
        next();
      });
      source.resume();
      return;
    }
    const chunks: Uint8Array[] = [];
    let kept = 0;
    let truncated = false;
    source.on("data", (data: unknown) => {
      // tar-stream yields Buffers; its types say unknown.
      const chunk = data instanceof Uint8Array ? data : new Uint8Array(0);
      const room = maxBytes - kept;
      if (chunk.length > room) truncated = true;
      if (room > 0) {
        chunks.push(chunk.subarray(0, room));
        kept += Math.min(room, chunk.length);
      }
    });
    source.on("end", () => {
      found.push({ name, bytes: Buffer.concat(chunks), truncated });
      next();
    });
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), extract);
  } catch (error) {
    throw asArchiveError(context, error);
  }
  return found;
}
