import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tarStream from "tar-stream";
import type { Header } from "tar-stream";
import type { LarderError } from "../../core/errors.js";
import { asArchiveError, CorruptArchiveError } from "./archive-errors.js";
import { byteChunks } from "./byte-chunks.js";
import type { EntryWriter } from "./entry-writer.js";

type Source = AsyncIterable<unknown> & { resume(): unknown };

/** Hands one tar entry to the writer; only files, directories and symlinks are ever extracted. */
async function writeEntry(header: Header, source: Source, writer: EntryWriter): Promise<void> {
  writer.countEntry();
  // tar-stream's types omit the nulls it gives for unknown type flags (GNU sparse...) and absent link names.
  const type = header.type as Header["type"] | null;
  const linkname = header.linkname as string | null;
  switch (type) {
    case "file":
    case "contiguous-file":
      await writer.file(header.name, (header.mode & 0o111) !== 0, byteChunks(source));
      return;
    case "directory":
      source.resume();
      await writer.directory(header.name);
      return;
    case "symlink":
      source.resume();
      await writer.symlink(header.name, linkname ?? "");
      return;
    case "link":
      throw writer.refuse(header.name, "is a hard link, which Larder does not extract");
    case "character-device":
    case "block-device":
    case "fifo":
      throw writer.refuse(header.name, `is a ${type}, which has no place in a module`);
    case null:
      throw writer.refuse(header.name, "has a tar entry type Larder does not support");
  }
}

/**
 * Streams a tar (gzipped or not) into the writer entry by entry; the archive is never held in memory.
 * pax headers and long names are resolved by tar-stream, which also consumes pax global headers itself.
 */
export async function extractTar(
  file: string,
  gzipped: boolean,
  writer: EntryWriter,
  context: string,
): Promise<void> {
  const extract = tarStream.extract();
  let inFlight: Promise<void> = Promise.resolve();
  let refusal: LarderError | undefined;
  extract.on("entry", (header, source, next) => {
    // A parser failure also errors the current entry's stream; it reaches us through the pipeline (and through
    // the entry's reader, if one is waiting), so an unread entry must not turn it into an unhandled 'error' event.
    source.on("error", () => undefined);
    inFlight = writeEntry(header, source, writer).then(
      () => {
        next();
      },
      (error: unknown) => {
        const failure = asArchiveError(context, error);
        // A decoder failure is better described by the pipeline's own error; a refusal only by itself.
        if (!(failure instanceof CorruptArchiveError)) refusal = failure;
        next(failure);
      },
    );
  });
  try {
    if (gzipped) await pipeline(createReadStream(file), createGunzip(), extract);
    else await pipeline(createReadStream(file), extract);
  } catch (error) {
    // Let a half-written entry finish failing before the caller removes the destination, then report a
    // refusal as itself: the pipeline may only have seen the parser closing because of it.
    await inFlight;
    throw refusal ?? asArchiveError(context, error);
  }
  await inFlight;
}
