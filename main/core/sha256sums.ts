import { LarderError } from "./errors.js";

/**
 * Parses a `SHA256SUMS` file (sha256sum output: `<hex>  <filename>` per line). Returns filename → lower-case hex.
 * Blank lines are refused: terraform and tofu index the first field of every line after the signature check.
 */
export function parseSha256Sums(text: string, context: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  for (const [index, line] of lines.entries()) {
    const match = /^([0-9a-fA-F]{64})[ \t]+(\S.*)$/.exec(line.replace(/\r$/, ""));
    const hash = match?.[1];
    const name = match?.[2];
    if (hash === undefined || name === undefined) {
      throw new LarderError(
        "verification_failed",
        `${context}: SHA256SUMS line ${index + 1} is malformed (${JSON.stringify(line.slice(0, 80))}); expected "<sha256>  <filename>".`,
      );
    }
    sums.set(name.replace(/^\*/, ""), hash.toLowerCase());
  }
  return sums;
}
