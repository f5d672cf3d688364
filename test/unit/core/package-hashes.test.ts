import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { h1Hash, isSha256Hex, zhHash, type HashedEntry } from "../../../main/core/package-hashes.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";

const encoder = new TextEncoder();

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function entry(name: string, content: string): HashedEntry {
  return { name, sha256Hex: sha256(encoder.encode(content)) };
}

/**
 * Independent reference: the `sha256sum` listing of the files in the order given (the test states the order it
 * expects rather than sorting), hashed and base64-encoded as Go's dirhash.Hash1 does.
 */
function referenceH1(filesInOrder: readonly { name: string; content: string }[]): string {
  const listing = filesInOrder
    .map((file) => `${sha256(encoder.encode(file.content))}  ${file.name}\n`)
    .join("");
  return `h1:${Buffer.from(createHash("sha256").update(listing, "utf8").digest()).toString("base64")}`;
}

describe("h1Hash", () => {
  it("hashes an empty package to the sha256 of an empty listing", () => {
    expect(h1Hash([])).toBe("h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  });

  it("matches an independent sha256sum-style computation, whatever order the entries come in", () => {
    const files = [
      { name: "CHANGELOG.md", content: "# 1.0.0\n" },
      { name: "LICENSE", content: "MIT\n" },
      { name: "docs/index.md", content: "docs\n" },
      { name: "terraform-provider-x_v1.0.0_x5", content: "#!/bin/sh\n" },
    ];
    const expected = referenceH1(files);
    const entries = files.map((file) => entry(file.name, file.content));
    expect(h1Hash(entries)).toBe(expected);
    expect(h1Hash([...entries].reverse())).toBe(expected);
    expect(h1Hash([...entries.slice(2), ...entries.slice(0, 2)])).toBe(expected);
    expect(expected).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
  });

  it("sorts names byte-wise as UTF-8, not as JavaScript's UTF-16 code units", () => {
    // U+FF21 is EF BC A1 in UTF-8 but 0xFF21 in UTF-16; U+1F600 is F0 9F 98 80 in UTF-8 but 0xD83D 0xDE00 in UTF-16.
    const fullwidthA = { name: "\uFF21", content: "a" };
    const emoji = { name: "\u{1F600}", content: "b" };
    expect([emoji.name, fullwidthA.name].sort()).toEqual([emoji.name, fullwidthA.name]);
    const utf8Order = referenceH1([fullwidthA, emoji]);
    const utf16Order = referenceH1([emoji, fullwidthA]);
    expect(utf8Order).not.toBe(utf16Order);
    const entries = [entry(emoji.name, emoji.content), entry(fullwidthA.name, fullwidthA.content)];
    expect(h1Hash(entries)).toBe(utf8Order);
    expect(h1Hash([...entries].reverse())).toBe(utf8Order);
  });

  it("counts directory entries, with empty content, so a zip with them hashes differently", () => {
    const files = [
      { name: "bin/", content: "" },
      { name: "bin/tool", content: "x" },
    ];
    const withDirectory = h1Hash(files.map((file) => entry(file.name, file.content)));
    expect(withDirectory).toBe(referenceH1(files));
    expect(withDirectory).not.toBe(h1Hash([entry("bin/tool", "x")]));
  });

  it("changes when any file's content or name changes", () => {
    const base = h1Hash([entry("a", "1"), entry("b", "2")]);
    expect(h1Hash([entry("a", "1"), entry("b", "3")])).not.toBe(base);
    expect(h1Hash([entry("a", "1"), entry("c", "2")])).not.toBe(base);
  });

  it("refuses a name containing a newline, which would forge a listing line", () => {
    const forged = `x\n${sha256("")}  evil`;
    expect(() => h1Hash([entry("ok", "1"), entry(forged, "2")])).toThrow(LarderError);
    expect(() => h1Hash([entry(forged, "2")])).toThrow(
      `Package entry name ${JSON.stringify(forged)} contains a newline.`,
    );
    expect(() => h1Hash([entry("a\n", "")])).toThrow(
      expect.objectContaining({ code: "verification_failed" }),
    );
  });
});

describe("h1Hash of the fixture package OpenTofu installed", () => {
  let upstream: FixtureUpstream;

  beforeAll(async () => {
    upstream = await startFixtureUpstream();
  });

  afterAll(async () => {
    await upstream.stop();
  });

  it("equals the h1 OpenTofu recorded in its lock file for fixture/alpha 1.1.0 linux_amd64", () => {
    const { files } = upstream.packageOf("fixture", "alpha", "1.1.0", "linux_amd64");
    const entries = files.map((file) => ({ name: file.name, sha256Hex: sha256(file.data) }));
    expect(h1Hash(entries)).toBe("h1:Dxs0/YdTN2278rDP3TQ62hWtnhaO2yUCO7srsoUawKM=");
  });
});

describe("zhHash and isSha256Hex", () => {
  it("prefixes the archive's hex sha256 with zh:", () => {
    const hex = sha256("zip bytes");
    expect(zhHash(hex)).toBe(`zh:${hex}`);
  });

  it.each([
    [sha256(""), true],
    ["0".repeat(64), true],
    [sha256("").toUpperCase(), false],
    ["0".repeat(63), false],
    ["0".repeat(65), false],
    [`${"0".repeat(63)}g`, false],
    ["", false],
    [`../${"0".repeat(61)}`, false],
  ])("%j → %j", (value, expected) => {
    expect(isSha256Hex(value)).toBe(expected);
  });
});
