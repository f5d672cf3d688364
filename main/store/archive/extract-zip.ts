import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import type { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { asArchiveError } from "./archive-errors.js";
import { byteChunks } from "./byte-chunks.js";
import type { EntryWriter } from "./entry-writer.js";
import { nextZipEntry } from "../zip-entries.js";

// Zip records the creating system; only Unix and macOS ones keep a Unix mode in the high external bits.
const UNIX_HOSTS = new Set([3, 19]);
const TYPE_MASK = 0o170000;
const REGULAR = 0o100000;
const DIRECTORY = 0o040000;
const SYMLINK = 0o120000;
// A symlink's target is its content; nothing longer than PATH_MAX is a real target.
const MAX_TARGET_BYTES = 4096;

function unixMode(entry: Entry): number {
  return UNIX_HOSTS.has(entry.versionMadeBy >>> 8) ? entry.externalFileAttributes >>> 16 : 0;
}

/** Streams a zip into the writer entry by entry, from its central directory; memory does not grow with size. */
export async function extractZip(file: string, writer: EntryWriter, context: string): Promise<void> {
  const zip = await openZip(file, context);
  try {
    for (;;) {
      const entry = await nextZipEntry(zip, (error) => asArchiveError(context, error));
      if (!entry) return;
      await writeEntry(zip, entry, writer, context);
    }
  } finally {
    zip.close();
  }
}

async function writeEntry(zip: ZipFile, entry: Entry, writer: EntryWriter, context: string): Promise<void> {
  writer.countEntry();
  // Names are decoded here, not by yauzl, so a bad name is refused with this module's message, naming the entry.
  const name = yauzl.getFileNameLowLevel(
    entry.generalPurposeBitFlag,
    entry.fileNameRaw,
    entry.extraFields,
    true,
  );
  const mode = unixMode(entry);
  const type = mode & TYPE_MASK;
  // Zips written on Windows may end a directory's name with a backslash.
  if (/[/\\]$/.test(name) || type === DIRECTORY) {
    await writer.directory(name);
    return;
  }
  if (type !== 0 && type !== REGULAR && type !== SYMLINK) {
    throw writer.refuse(name, `is a special file (mode ${mode.toString(8)}), which has no place in a module`);
  }
  if (entry.isEncrypted()) throw writer.refuse(name, "is encrypted");
  writer.checkDeclaredSize(entry.uncompressedSize);
  const content = await openEntry(zip, entry, context);
  const checked = crcChecked(byteChunks(content), entry.crc32, name);
  try {
    if (type === SYMLINK) await writer.symlink(name, await readTarget(checked, name, writer, context));
    else await writer.file(name, (mode & 0o111) !== 0, checked);
  } finally {
    // A refused entry leaves its stream unread; destroying it releases yauzl's hold on the file.
    content.destroy();
  }
}

/** Passes bytes through and fails at the end if they do not match the CRC-32 the zip recorded; yauzl never checks. */
async function* crcChecked(
  content: AsyncIterable<Uint8Array>,
  expected: number,
  name: string,
): AsyncGenerator<Uint8Array> {
  let crc = 0;
  for await (const chunk of content) {
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (crc !== expected) throw new Error(`entry ${JSON.stringify(name)} does not match its CRC-32`);
}

async function readTarget(
  content: AsyncIterable<Uint8Array>,
  name: string,
  writer: EntryWriter,
  context: string,
): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of content) {
      size += chunk.byteLength;
      if (size > MAX_TARGET_BYTES) throw writer.refuse(name, "is a symlink with an impossibly long target");
      chunks.push(chunk);
    }
  } catch (error) {
    throw asArchiveError(context, error);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function openZip(file: string, context: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would reject odd names with its own terse error; the writer explains instead.
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: false },
      (error, zip) => {
        if (error) reject(asArchiveError(context, error));
        else resolve(zip);
      },
    );
  });
}

function openEntry(zip: ZipFile, entry: Entry, context: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) reject(asArchiveError(context, error));
      else resolve(stream);
    });
  });
}
