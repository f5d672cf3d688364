// The exact size of the tar that tar-stream writes, computed before writing so the export can print it (and
// check free space) up front. Mirrors tar-stream 3's header choice: ustar with a prefix split when the name fits,
// otherwise a pax header carrying the path.

const BLOCK = 512;

/** Bytes tar-stream writes for one regular-file entry named `name` with `size` bytes of content. */
export function tarEntrySize(name: string, size: number): number {
  const header = fitsUstar(name) ? BLOCK : BLOCK + padded(Buffer.byteLength(paxRecord(name))) + BLOCK;
  return header + padded(size);
}

/** Bytes of a whole tar: every entry plus the two zero blocks that end the archive. */
export function tarSize(entries: readonly { readonly path: string; readonly size: number }[]): number {
  return entries.reduce((sum, entry) => sum + tarEntrySize(entry.path, entry.size), 2 * BLOCK);
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

// tar-stream's headers.encode: ASCII only; move leading segments into the 155-byte prefix until the name fits.
function fitsUstar(path: string): boolean {
  if (Buffer.byteLength(path) !== path.length) return false;
  let name = path;
  let prefix = "";
  while (name.length > 100) {
    const cut = name.indexOf("/");
    if (cut === -1) return false;
    prefix += prefix ? `/${name.slice(0, cut)}` : name.slice(0, cut);
    name = name.slice(cut + 1);
  }
  return name.length <= 100 && prefix.length <= 155;
}

// tar-stream's headers.encodePax for a path: "<length> path=<name>\n", the length counting its own digits.
function paxRecord(name: string): string {
  const body = ` path=${name}\n`;
  const length = Buffer.byteLength(body);
  let digits = Math.floor(Math.log10(length)) + 1;
  if (length + digits >= 10 ** digits) digits++;
  return `${length + digits}${body}`;
}
