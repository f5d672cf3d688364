import { connect } from "node:net";

/**
 * Bytes per socket read. Node's http client reads 64 KiB at a time into a fresh Buffer and parses every chunk; at
 * 8 concurrent downloads it used about four times the CPU of the server it measured (issue 15's bench, 500 MB × 8:
 * the bench process 3 min of CPU, `larder serve` 36 s, nginx 2 s), so on 2 cores the client set the rate.
 */
const READ_BYTES = 1024 * 1024;

/** The end of the response head. */
const HEAD_END = Buffer.from("\r\n\r\n");

/** What a response head says about the body that follows. */
interface ResponseHead {
  readonly status: number;
  readonly contentLength: number | undefined;
}

function parseHead(head: string): ResponseHead {
  const [statusLine = "", ...fields] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  const length = fields
    .map((field) => /^content-length:\s*(\d+)\s*$/i.exec(field)?.[1])
    .find((value) => value !== undefined);
  return { status, contentLength: length === undefined ? undefined : Number(length) };
}

/**
 * Downloads `url` once over a plain HTTP/1.1 connection, discarding the body, and resolves with the number of body
 * bytes. The cheapest client Node allows: every read lands in one reused 1 MiB buffer (`onread`) and only the
 * response head is parsed, so what is measured is the server, not the client. Both servers are fetched with it.
 * Needs a 200 with a Content-Length (Larder, nginx and sirv all send one for a file).
 */
export function socketDownload(url: string): Promise<number> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let head: Buffer = Buffer.alloc(0);
    let expected: number | undefined;
    let received = 0;
    let settled = false;
    const finish = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (error) reject(error);
      else resolve(received);
    };
    const onBody = (bytes: number): void => {
      received += bytes;
      if (expected !== undefined && received >= expected) finish(undefined);
    };
    const socket = connect({
      host: hostname,
      port: Number(port),
      onread: {
        buffer,
        callback: (bytes) => {
          if (settled) return false;
          if (expected !== undefined) {
            onBody(bytes);
            return true;
          }
          // Still in the head: keep its bytes (the buffer is reused by the next read) until the blank line.
          head = Buffer.concat([head, buffer.subarray(0, bytes)]);
          const end = head.indexOf(HEAD_END);
          if (end === -1) return true;
          const { status, contentLength } = parseHead(head.subarray(0, end).toString("latin1"));
          if (status !== 200 || contentLength === undefined) {
            finish(
              new Error(
                `GET ${url}: HTTP ${String(status)}${contentLength === undefined ? " without Content-Length" : ""}`,
              ),
            );
            return false;
          }
          expected = contentLength;
          onBody(head.length - end - HEAD_END.length);
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.on("error", (error) => {
      finish(error);
    });
    socket.on("close", () => {
      finish(
        new Error(`GET ${url}: connection closed after ${String(received)} of ${String(expected)} bytes`),
      );
    });
    socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`,
    );
  });
}
