import { close, fstat, open, read } from "node:fs";
import { Readable } from "node:stream";
import yauzl from "yauzl";
import type { Options, ZipFile } from "yauzl";

/**
 * Entry data is read in 1 MiB chunks. yauzl's own file reader reads 16 KiB at a time (the stream default), so
 * hashing a 500 MB provider zip took some 30,000 reads through the thread pool and ran at under half the speed.
 */
const CHUNK_BYTES = 1024 * 1024;

/** yauzl's random-access reader over one open file descriptor, reading in large chunks. */
class LargeChunkReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }

  /** Bytes `start` up to (not including) `end`, in chunks of up to CHUNK_BYTES. */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let position = start;
    return new Readable({
      highWaterMark: CHUNK_BYTES,
      read() {
        const length = Math.min(CHUNK_BYTES, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        read(fd, buffer, 0, length, position, (error, bytesRead) => {
          if (error) this.destroy(error);
          else if (bytesRead === 0) this.push(null);
          else {
            position += bytesRead;
            this.push(bytesRead < length ? buffer.subarray(0, bytesRead) : buffer);
          }
        });
      },
    });
  }

  override close(callback: (error: Error | null) => void): void {
    close(this.fd, callback);
  }
}

/** Opens a zip file as `yauzl.open` does (same options and checks), reading entries in large chunks. */
export function openZipFile(path: string, options: Options): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    open(path, "r", (openError, fd) => {
      if (openError) {
        reject(openError);
        return;
      }
      const fail = (error: Error): void => {
        close(fd, () => {
          reject(error);
        });
      };
      fstat(fd, (statError, stats) => {
        if (statError) {
          fail(statError);
          return;
        }
        yauzl.fromRandomAccessReader(new LargeChunkReader(fd), stats.size, options, (error, zip) => {
          if (error) fail(error);
          else resolve(zip);
        });
      });
    });
  });
}
