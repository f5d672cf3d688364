import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ZipFile } from "yazl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { h1Hash } from "../../../main/core/package-hashes.js";
import { hashZipEntries } from "../../../main/store/zip-entry-hashes.js";
import { providerFiles, zipFiles } from "../../fixtures/upstream/zip.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;

type ZipItem =
  | { readonly directory: string }
  | { readonly name: string; readonly content: string; readonly compress?: boolean };

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

async function buildZip(items: readonly ZipItem[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const item of items) {
    if ("directory" in item) zip.addEmptyDirectory(item.directory);
    else zip.addBuffer(Buffer.from(item.content), item.name, { compress: item.compress ?? true });
  }
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    zip.outputStream.on("error", reject);
  });
  zip.end();
  return done;
}

async function writeZip(bytes: Uint8Array, name = "package.zip"): Promise<string> {
  const path = join(dir.path, name);
  await writeFile(path, bytes);
  return path;
}

beforeEach(async () => {
  dir = await makeTempDir("zip-hashes");
});

afterEach(async () => {
  await dir.remove();
});

describe("hashZipEntries", () => {
  it("hashes every entry by its stored name, directories included with empty content", async () => {
    const path = await writeZip(
      await buildZip([
        { directory: "docs" },
        { name: "docs/index.md", content: "# docs\n" },
        { name: "terraform-provider-x_v1.0.0_x5", content: "#!/bin/sh\necho x\n".repeat(50) },
        { name: "LICENSE", content: "MIT\n", compress: false },
        { name: "empty.txt", content: "" },
      ]),
    );
    expect(await hashZipEntries(path, "acme/x 1.0.0 linux_amd64")).toEqual([
      { name: "docs/", sha256Hex: sha256("") },
      { name: "docs/index.md", sha256Hex: sha256("# docs\n") },
      { name: "terraform-provider-x_v1.0.0_x5", sha256Hex: sha256("#!/bin/sh\necho x\n".repeat(50)) },
      { name: "LICENSE", sha256Hex: sha256("MIT\n") },
      { name: "empty.txt", sha256Hex: sha256("") },
    ]);
  });

  it("yields the h1 OpenTofu recorded for the fixture's fixture/alpha 1.1.0 linux_amd64 archive", async () => {
    const path = await writeZip(await zipFiles(providerFiles("alpha", "1.1.0", "linux", "amd64")));
    expect(h1Hash(await hashZipEntries(path, "fixture/alpha"))).toBe(
      "h1:Dxs0/YdTN2278rDP3TQ62hWtnhaO2yUCO7srsoUawKM=",
    );
  });

  it("makes a zip with directory entries hash differently from the same files without them", async () => {
    const files: ZipItem[] = [{ name: "bin/tool", content: "x" }];
    const plain = await hashZipEntries(await writeZip(await buildZip(files), "plain.zip"), "ctx");
    const withDir = await hashZipEntries(
      await writeZip(await buildZip([{ directory: "bin" }, ...files]), "dir.zip"),
      "ctx",
    );
    expect(h1Hash(withDir)).not.toBe(h1Hash(plain));
  });

  it("refuses a file that is not a zip with verification_failed, naming the package", async () => {
    const path = await writeZip(new TextEncoder().encode("<html>502 Bad Gateway</html>\n".repeat(10)));
    const error = await hashZipEntries(path, "hashicorp/null 3.2.3 linux_amd64").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LarderError);
    expect(error).toMatchObject({
      code: "verification_failed",
      message: expect.stringMatching(
        /^hashicorp\/null 3\.2\.3 linux_amd64: the archive is not a valid provider zip \(.+\); nothing was stored\.$/,
      ) as unknown,
    });
  });

  it.each([0.5, 0.9, 0.98])("refuses a zip truncated to %s of its length", async (fraction) => {
    const bytes = await buildZip([
      { name: "a", content: "alpha ".repeat(200) },
      { name: "b", content: "bravo ".repeat(200) },
    ]);
    const path = await writeZip(bytes.subarray(0, Math.floor(bytes.length * fraction)));
    await expect(hashZipEntries(path, "ctx")).rejects.toMatchObject({
      code: "verification_failed",
      message: expect.stringContaining("ctx: the archive is not a valid provider zip") as unknown,
    });
  });

  it("refuses an entry whose inflated data is larger than its header says", async () => {
    const bytes = await buildZip([{ name: "bomb", content: "0".repeat(100_000) }]);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(10, central + 24);
    await expect(hashZipEntries(await writeZip(bytes), "ctx")).rejects.toMatchObject({
      code: "verification_failed",
    });
  });

  it("enforces the entry count limit", async () => {
    const path = await writeZip(
      await buildZip([{ directory: "d" }, { name: "d/a", content: "1" }, { name: "d/b", content: "2" }]),
    );
    await expect(
      hashZipEntries(path, "ctx", { maxEntries: 3, maxUncompressedBytes: 100 }),
    ).resolves.toHaveLength(3);
    await expect(
      hashZipEntries(path, "ctx", { maxEntries: 2, maxUncompressedBytes: 100 }),
    ).rejects.toMatchObject({
      code: "verification_failed",
      message:
        "ctx: the archive is not a valid provider zip (it has more than 2 entries); nothing was stored.",
    });
  });

  it("enforces the total uncompressed size limit, counting what the entries expand to", async () => {
    const path = await writeZip(
      await buildZip([
        { name: "a", content: "x".repeat(100_000) },
        { name: "b", content: "y".repeat(100_000) },
      ]),
    );
    await expect(
      hashZipEntries(path, "ctx", { maxEntries: 10, maxUncompressedBytes: 200_000 }),
    ).resolves.toHaveLength(2);
    await expect(
      hashZipEntries(path, "ctx", { maxEntries: 10, maxUncompressedBytes: 199_999 }),
    ).rejects.toMatchObject({
      code: "verification_failed",
      message:
        "ctx: the archive is not a valid provider zip (it expands to more than 199999 bytes); nothing was stored.",
    });
  });
});
