import { createReadStream, createWriteStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tarStream from "tar-stream";
import type { Header, Pack } from "tar-stream";
import { listTree, type TreeEntry } from "./list-tree.js";

// Every header gets the same time and owner, so the bytes depend only on names, modes and content.
const FIXED_MTIME = new Date(Date.UTC(2000, 0, 1));
const FILE_MODE = 0o644;
const EXECUTABLE_MODE = 0o755;
const DIRECTORY_MODE = 0o755;
// The conventional mode of a symlink; systems ignore it, but tar listings show lrwxrwxrwx as everywhere else.
const SYMLINK_MODE = 0o777;
// zlib writes the OS byte of the machine it was built for (3 Unix, 10 Windows, 19 macOS); pin it to Unix.
const GZIP_OS_OFFSET = 9;
const GZIP_OS_UNIX = 3;

/** The tar header of one tree entry: fixed time, root owner, no user or group names, normalised modes. */
function headerOf(entry: TreeEntry): Header {
  const common = {
    name: entry.name,
    mtime: FIXED_MTIME,
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
  };
  switch (entry.kind) {
    case "directory":
      return { ...common, type: "directory", mode: DIRECTORY_MODE, size: 0, linkname: "" };
    case "symlink":
      return { ...common, type: "symlink", mode: SYMLINK_MODE, size: 0, linkname: entry.target };
    case "file":
      return {
        ...common,
        type: "file",
        mode: entry.executable ? EXECUTABLE_MODE : FILE_MODE,
        size: entry.size,
        linkname: "",
      };
  }
}

function addEntry(pack: Pack, entry: TreeEntry): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null): void => {
      if (error) reject(error);
      else resolve();
    };
    if (entry.kind !== "file") {
      pack.entry(headerOf(entry), Buffer.alloc(0), done);
      return;
    }
    const sink = pack.entry(headerOf(entry), done);
    pipeline(createReadStream(entry.path), sink).catch(reject);
  });
}

/** Pins the gzip header's OS byte and counts the bytes written. */
class GzipHeaderPin extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.bytes <= GZIP_OS_OFFSET && this.bytes + chunk.length > GZIP_OS_OFFSET) {
      chunk[GZIP_OS_OFFSET - this.bytes] = GZIP_OS_UNIX;
    }
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Packs a directory as a deterministic .tar.gz: entries in byte-wise name order, directories included, fixed
 * times and owners, normalised modes, symlinks kept as symlinks. Node's gzip header carries no file name and
 * mtime 0, so the same tree always gives the same bytes. Returns the entry count and the archive's size.
 */
export async function packDirectoryToTarGz(
  dir: string,
  outFile: string,
): Promise<{ entries: number; bytes: number }> {
  const entries = await listTree(dir);
  const pack = tarStream.pack();
  const pin = new GzipHeaderPin();
  const written = pipeline(pack, createGzip({ level: 9 }), pin, createWriteStream(outFile));
  const adding = (async () => {
    for (const entry of entries) await addEntry(pack, entry);
    pack.finalize();
  })().catch((error: unknown) => {
    pack.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  await Promise.all([written, adding]);
  return { entries: entries.length, bytes: pin.bytes };
}
