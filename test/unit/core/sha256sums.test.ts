import { describe, expect, it } from "vitest";
import { parseSha256Sums } from "../../../main/core/sha256sums.js";
import { errorOf } from "../../helpers/expect-larder-error.js";

const A = "a".repeat(64);
const B = "0123456789abcdef".repeat(4);
const C = "f".repeat(64);

describe("parseSha256Sums", () => {
  it("reads sha256sum output into filename → hash", () => {
    const text = `${A}  terraform-provider-null_3.2.3_linux_amd64.zip\n${B}  terraform-provider-null_3.2.3_darwin_arm64.zip\n`;
    expect(parseSha256Sums(text, "ctx")).toEqual(
      new Map([
        ["terraform-provider-null_3.2.3_linux_amd64.zip", A],
        ["terraform-provider-null_3.2.3_darwin_arm64.zip", B],
      ]),
    );
  });

  it.each([
    ["two spaces", `${A}  file.zip`],
    ["one space", `${A} file.zip`],
    ["a tab", `${A}\tfile.zip`],
    ["spaces and tabs", `${A} \t  file.zip`],
    ["the binary marker", `${A} *file.zip`],
    ["the binary marker after two spaces", `${A}  *file.zip`],
    ["a CRLF line end", `${A}  file.zip\r\n`],
    ["no final newline", `${A}  file.zip`],
    ["an upper-case hash", `${A.toUpperCase()}  file.zip`],
  ])("accepts %s", (_label, text) => {
    expect(parseSha256Sums(text, "ctx")).toEqual(new Map([["file.zip", A]]));
  });

  it("keeps spaces inside file names", () => {
    expect(parseSha256Sums(`${C}  my provider.zip\n`, "ctx").get("my provider.zip")).toBe(C);
  });

  it.each([
    ["a blank line in the middle", `${A}  a.zip\n\n${B}  b.zip\n`, 2, ""],
    ["a trailing blank line", `${A}  a.zip\n${B}  b.zip\n\n`, 3, ""],
    ["a line of spaces", `${A}  a.zip\n   \n`, 2, "   "],
    ["an empty file", "", 1, ""],
  ])("refuses %s, naming the line", (_label, text, line, content) => {
    const error = errorOf(() => parseSha256Sums(text, "hashicorp/null 3.2.3"));
    expect(error.code).toBe("verification_failed");
    expect(error.message).toBe(
      `hashicorp/null 3.2.3: SHA256SUMS line ${line} is malformed (${JSON.stringify(content)}); expected "<sha256>  <filename>".`,
    );
  });

  it.each([
    ["a short hash", `${A.slice(1)}  a.zip`],
    ["a long hash", `${A}0  a.zip`],
    ["a non-hex hash", `${"g".repeat(64)}  a.zip`],
    ["a missing file name", A],
    ["a hash and only blanks", `${A}   `],
    ["no separator", `${A}a.zip`],
    ["a leading space", ` ${A}  a.zip`],
    ["file name first", `a.zip  ${A}`],
  ])("refuses %s", (_label, text) => {
    expect(() => parseSha256Sums(`${B}  ok.zip\n${text}\n`, "ctx")).toThrow(
      /^ctx: SHA256SUMS line 2 is malformed/,
    );
  });

  it("quotes at most 80 characters of a malformed line", () => {
    const error = errorOf(() => parseSha256Sums("x".repeat(500), "ctx"));
    expect(error.message).toContain(JSON.stringify("x".repeat(80)));
    expect(error.message).not.toContain("x".repeat(81));
  });
});
