import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkArchiveFormat,
  extractArchive,
  sniffArchiveFormat,
  type ArchiveFormat,
} from "../../../../main/store/archive/index.js";
import { makeTempDir, type TempDir } from "../../../helpers/temp-dir.js";
import { buildTar, buildZip } from "./archive-builders.js";

let dir: TempDir;

beforeEach(async () => {
  dir = await makeTempDir("archive-format");
});

afterEach(async () => {
  await dir.remove();
});

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const context = "Module acme/net/aws 1.0.0";

async function fileWith(content: Uint8Array | string): Promise<string> {
  const path = join(dir.path, "download");
  await writeFile(path, content);
  return path;
}

describe("sniffArchiveFormat", () => {
  it("recognises every signature", async () => {
    expect(sniffArchiveFormat(gzipSync("x"))).toBe("tar.gz");
    expect(sniffArchiveFormat(await buildZip([{ name: "a", content: "a" }]))).toBe("zip");
    expect(sniffArchiveFormat(await buildZip([]))).toBe("zip");
    expect(sniffArchiveFormat(await buildTar([{ name: "a", content: "a" }]))).toBe("tar");
    expect(sniffArchiveFormat(Buffer.from("BZh91AY&SY"))).toBe("bzip2");
    expect(sniffArchiveFormat(bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00))).toBe("xz");
  });

  it("says unknown for anything else, short or empty input included", () => {
    expect(sniffArchiveFormat(Buffer.from("<!doctype html>"))).toBe("unknown");
    expect(sniffArchiveFormat(bytes(0x1f))).toBe("unknown");
    expect(sniffArchiveFormat(bytes(0x50, 0x4b, 0x03))).toBe("unknown");
    expect(sniffArchiveFormat(bytes())).toBe("unknown");
    // "ustar" anywhere but offset 257 is not a tar header.
    expect(sniffArchiveFormat(Buffer.concat([Buffer.alloc(256), Buffer.from("ustar")]))).toBe("unknown");
  });
});

describe("checkArchiveFormat", () => {
  it("accepts content that matches its declared format", async () => {
    await checkArchiveFormat(await fileWith(gzipSync("x")), "tar.gz", context);
    await checkArchiveFormat(await fileWith(await buildZip([])), "zip", context);
    await checkArchiveFormat(await fileWith(await buildTar([{ name: "a", content: "a" }])), "tar", context);
  });

  it.each<[ArchiveFormat, () => Promise<Uint8Array> | Uint8Array, string]>([
    ["zip", () => gzipSync("x"), "expected zip, found gzip data"],
    ["tar.gz", () => buildZip([]), "expected tar.gz, found zip data"],
    ["tar", () => gzipSync("x"), "expected tar, found gzip data"],
    ["tar.gz", () => buildTar([{ name: "a", content: "a" }]), "expected tar.gz, found tar data"],
    [
      "zip",
      () => Buffer.from("<html>rate limited</html>"),
      "expected zip, found data that is not an archive",
    ],
    ["tar.gz", () => bytes(), "expected tar.gz, found an empty file"],
  ])("refuses a %s that is not one (%s)", async (declared, content, found) => {
    const file = await fileWith(await content());
    await expect(checkArchiveFormat(file, declared, context)).rejects.toMatchObject({
      code: "verification_failed",
      message: `${context}: the archive is not what its name says: ${found}.`,
    });
  });

  it.each([
    ["bzip2", Buffer.from("BZh91AY&SY")],
    ["xz", bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00)],
  ])("refuses %s archives as unsupported", async (name, content) => {
    await expect(checkArchiveFormat(await fileWith(content), "tar.gz", context)).rejects.toMatchObject({
      code: "verification_failed",
      message: `${context}: the archive is ${name}-compressed, which Larder does not support; only .tar.gz, .tar and .zip archives can be mirrored.`,
    });
  });

  it("runs before extraction, so a mislabelled archive is never parsed", async () => {
    const file = await fileWith(await buildZip([{ name: "a", content: "a" }]));
    await expect(extractArchive(file, "tar.gz", join(dir.path, "dest"), context)).rejects.toThrow(
      "expected tar.gz, found zip data",
    );
  });
});
