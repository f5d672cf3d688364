import { Readable } from "node:stream";
import tarStream from "tar-stream";
import { describe, expect, it } from "vitest";
import { tarSize } from "../../../main/bundle/tar-size.js";

/** Packs entries with tar-stream exactly as the bundle writer does and counts the bytes. */
async function packedSize(entries: readonly { path: string; size: number }[]): Promise<number> {
  const pack = tarStream.pack();
  let total = 0;
  pack.on("data", (chunk: unknown) => {
    if (Buffer.isBuffer(chunk)) total += chunk.length;
  });
  const ended = new Promise<void>((resolve) =>
    pack.on("end", () => {
      resolve();
    }),
  );
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      const sink = pack.entry(
        { name: entry.path, size: entry.size, mode: 0o644, mtime: new Date(0), type: "file" },
        (error) => {
          if (error) reject(error);
          else resolve();
        },
      );
      Readable.from([Buffer.alloc(entry.size, 0x61)]).pipe(sink);
    });
  }
  pack.finalize();
  await ended;
  return total;
}

describe("tarSize", () => {
  it.each([
    [
      "short names",
      [
        { path: "manifest.json", size: 10 },
        { path: "a/b.zip", size: 512 },
      ],
    ],
    [
      "empty and block-sized files",
      [
        { path: "empty", size: 0 },
        { path: "block", size: 1024 },
        { path: "odd", size: 1025 },
      ],
    ],
    ["a name split into ustar prefix", [{ path: `${"p".repeat(90)}/${"n".repeat(90)}.zip`, size: 3 }]],
    ["a segment too long for ustar (pax)", [{ path: `providers/${"x".repeat(120)}.zip`, size: 700 }]],
    [
      "a path too long for the prefix (pax)",
      [{ path: Array.from({ length: 30 }, () => "segment").join("/"), size: 1 }],
    ],
    [
      "a path whose pax record length crosses a digit boundary",
      [{ path: `d/${"y".repeat(89)}`.padEnd(93, "z") + "/".concat("q".repeat(101)), size: 5 }],
    ],
    ["non-ASCII names (always pax)", [{ path: "modules/exämple/ünïcode.tar.gz", size: 42 }]],
  ])("matches what tar-stream writes for %s", async (_name, entries) => {
    expect(tarSize(entries)).toBe(await packedSize(entries));
  });
});
