import type { FileHandle } from "node:fs/promises";
import type { ServerResponse } from "node:http";

/**
 * Bytes per read. Node's read stream default (64 KiB) costs a system call and an event-loop turn per 64 KiB and
 * left a single 100 MB download at about half of nginx's sendfile rate; 1 MiB reads reach it (issue 15's bench).
 */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Buffers per download: one is read into while the other is being written, so the disk and the socket overlap,
 * and memory stays at two chunks per download however slow the client is.
 */
const BUFFERS = 2;

/**
 * Writes bytes `start` to `end` (inclusive) of `file` as the body of `res` (its head already decided), then ends
 * it. Each download reads into its own two buffers and reuses them to the end: a buffer is read into again only
 * once the socket's write callback says the kernel has its bytes. A read stream instead allocates a fresh 1 MiB
 * Buffer per chunk, and at 8 concurrent downloads those allocations (page faults on fresh memory, then garbage to
 * collect with 2 MB semi-spaces) held Larder to a third of nginx's rate (issue 15's bench).
 *
 * Resolves when the body is written or the client went away (then nothing more is read); a read that fails or
 * finds the file shorter than its size destroys the response, so the client sees a cut transfer, never a hang.
 */
export async function pumpFileRange(
  file: FileHandle,
  res: ServerResponse,
  start: number,
  end: number,
): Promise<void> {
  const length = end - start + 1;
  const bufferBytes = Math.min(CHUNK_BYTES, length);
  const free: Buffer[] = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafeSlow(bufferBytes));
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  let closed = false;
  // Set by the close listener while the loop below awaits; read through a call so it is never taken as constant.
  const gone = (): boolean => closed;
  const onClose = (): void => {
    closed = true;
    signal();
  };
  res.once("close", onClose);
  try {
    let position = start;
    while (position <= end && !gone()) {
      const buffer = free.pop();
      if (buffer === undefined) {
        // Both buffers are with the socket: wait for a write callback (or the client to leave).
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, end - position + 1), position);
      if (bytesRead === 0) throw new Error("the file is shorter than its size said");
      position += bytesRead;
      if (gone()) break;
      res.write(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead), () => {
        // Called once the kernel has the bytes, or with an error once the socket is gone: either way the socket no
        // longer holds this buffer.
        free.push(buffer);
        signal();
      });
    }
    if (!gone()) res.end();
  } catch {
    // Headers with the full Content-Length are out: cutting the connection is the only honest answer left.
    res.destroy();
  } finally {
    res.off("close", onClose);
  }
}
