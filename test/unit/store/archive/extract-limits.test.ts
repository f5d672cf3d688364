import { stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../../main/core/errors.js";
import {
  extractArchive,
  type ArchiveFormat,
  type ArchiveLimits,
} from "../../../../main/store/archive/index.js";
import { buildTar, buildTarGz, buildZip, makeScene, rewriteHeader, type Scene } from "./archive-builders.js";

let scene: Scene;

beforeEach(async () => {
  scene = await makeScene();
});

afterEach(async () => {
  await scene.temp.remove();
});

const MiB = 1024 * 1024;
const context = "Module acme/net/aws 1.0.0";

/** Extracts bytes that must be refused and returns the message; nothing may land outside dest. */
async function refusal(bytes: Uint8Array, format: ArchiveFormat, limits?: ArchiveLimits): Promise<string> {
  const file = await scene.write(bytes, `archive.${format}`);
  const error = await extractArchive(file, format, scene.dest, context, limits).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LarderError);
  expect(error).toMatchObject({ code: "verification_failed" });
  expect(await scene.outside()).toEqual({ root: ["dest", "sibling"], sibling: [] });
  return (error as LarderError).message;
}

/** Bytes that deflate poorly, so damage lands in real compressed data. */
function noise(size: number): Buffer {
  const out = Buffer.alloc(size);
  let state = 12345;
  for (let index = 0; index < size; index += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[index] = state >>> 24;
  }
  return out;
}

const fiveFiles = ["a", "b", "c", "d", "e"].map((name) => ({ name, content: name }));

describe("extractArchive enforces limits", () => {
  it("on the number of entries", async () => {
    const limits = { maxEntries: 4, maxTotalBytes: MiB };
    expect(await refusal(await buildTarGz(fiveFiles), "tar.gz", limits)).toBe(
      `${context}: the archive was refused: it has more than 4 entries.`,
    );
    await scene.temp.remove();
    scene = await makeScene();
    expect(await refusal(await buildZip(fiveFiles), "zip", limits)).toContain("it has more than 4 entries");
  });

  it("on entries counting the directories a deep name implies", async () => {
    const limits = { maxEntries: 4, maxTotalBytes: MiB };
    const deep = await buildTarGz([{ name: "a/b/c/d/e.tf", content: "x" }]);
    expect(await refusal(deep, "tar.gz", limits)).toContain("it has more than 4 entries");
    await scene.temp.remove();
    scene = await makeScene();
    await extractArchive(await scene.write(deep), "tar.gz", scene.dest, context, {
      ...limits,
      maxEntries: 5,
    });
  });

  it("on the bytes actually streamed, across files", async () => {
    const limits = { maxEntries: 100, maxTotalBytes: MiB };
    const tar = await buildTarGz([{ name: "zeros", content: Buffer.alloc(2 * MiB) }]);
    expect(tar.length).toBeLessThan(10_000);
    expect(await refusal(tar, "tar.gz", limits)).toBe(
      `${context}: the archive was refused: it expands to more than ${MiB} bytes.`,
    );
    expect((await stat(join(scene.dest, "zeros"))).size).toBeLessThanOrEqual(MiB);
    await scene.temp.remove();
    scene = await makeScene();
    const three = ["x", "y", "z"].map((name) => ({ name, content: Buffer.alloc(400 * 1024) }));
    expect(await refusal(await buildTar(three), "tar", limits)).toContain(
      `it expands to more than ${MiB} bytes`,
    );
  });

  it("on a zip's bytes, whether its header tells the truth or not", async () => {
    const limits = { maxEntries: 100, maxTotalBytes: MiB };
    const zip = await buildZip([{ name: "zeros", content: Buffer.alloc(2 * MiB) }]);
    expect(await refusal(zip, "zip", limits)).toContain(`it expands to more than ${MiB} bytes`);
    // The central directory claims 10 bytes; the deflate stream still holds 2 MiB of zeros.
    const central = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(10, central + 24);
    await scene.temp.remove();
    scene = await makeScene();
    const message = await refusal(zip, "zip", limits);
    expect(message).toMatch(/the archive is corrupt or truncated \(too many bytes in the stream/);
    expect((await stat(join(scene.dest, "zeros"))).size).toBeLessThanOrEqual(MiB);
  });

  it("on a tar header that claims more data than the archive holds", async () => {
    const tar = rewriteHeader(await buildTar([{ name: "liar", content: "ten bytes!" }]), 0, (block) => {
      block.write(`${MiB.toString(8).padStart(11, "0")}\0`, 124, "latin1");
    });
    expect(await refusal(gzipSync(tar), "tar.gz")).toBe(
      `${context}: the archive is corrupt or truncated (Unexpected end of data).`,
    );
  });
});

describe("extractArchive refuses damaged archives", () => {
  it("a truncated tar.gz", async () => {
    const gz = await buildTarGz([{ name: "noise", content: noise(200_000) }]);
    expect(await refusal(gz.subarray(0, gz.length / 2), "tar.gz")).toBe(
      `${context}: the archive is corrupt or truncated (unexpected end of file).`,
    );
  });

  it("a tar.gz with damaged compressed data", async () => {
    const gz = await buildTarGz([{ name: "noise", content: noise(200_000) }]);
    gz.fill(0xff, 1000, 1100);
    expect(await refusal(gz, "tar.gz")).toContain("the archive is corrupt or truncated (");
  });

  it("a tar whose header checksum is wrong", async () => {
    const tar = await buildTar([{ name: "a", content: "a" }]);
    tar[0] = "b".charCodeAt(0);
    expect(await refusal(tar, "tar")).toContain("the archive is corrupt or truncated (Invalid tar header");
  });

  it("a truncated zip", async () => {
    const zip = await buildZip([{ name: "noise", content: noise(200_000) }]);
    expect(await refusal(zip.subarray(0, zip.length / 2), "zip")).toContain(
      "the archive is corrupt or truncated (End of central directory record signature not found",
    );
  });

  it("a zip with damaged compressed data", async () => {
    const zip = await buildZip([{ name: "noise", content: noise(200_000) }]);
    zip.fill(0xff, 1000, 1100);
    // Noise is stored, not deflated, so only the CRC-32 can tell; yauzl does not check it, extractArchive does.
    expect(await refusal(zip, "zip")).toBe(
      `${context}: the archive is corrupt or truncated (entry "noise" does not match its CRC-32).`,
    );
    const deflated = await buildZip([{ name: "text", content: "resource {}\n".repeat(10_000) }]);
    deflated.fill(0x55, 200, 260);
    await scene.temp.remove();
    scene = await makeScene();
    expect(await refusal(deflated, "zip")).toContain("the archive is corrupt or truncated (");
  });
});
