import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityProof, identityProofMatches } from "../../../main/engine/admin-token.js";
import { startHarness, type ServerHarness } from "./harness.js";

let h: ServerHarness;
beforeAll(async () => {
  h = await startHarness("identify", { seed: false });
});
afterAll(async () => {
  await h.stop();
});

describe("GET /identify", () => {
  it("proves it holds the data dir's admin token for a fresh challenge, without needing or revealing it", async () => {
    const nonce = randomBytes(32).toString("hex");
    const response = await fetch(`${h.server.httpUrl}/identify?nonce=${nonce}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as { app: string; version: string; proof: string };
    const token = await h.server.tokens.current();
    expect(body.app).toBe("larder");
    expect(identityProofMatches(token, nonce, body.proof)).toBe(true);
    expect(JSON.stringify(body)).not.toContain(token);
    // A different challenge gets a different proof, and another token would not match.
    // (The last hex digit is changed, never kept: a random nonce ends in "0" one time in 16.)
    const otherNonce = `${nonce.slice(0, -1)}${nonce.endsWith("0") ? "1" : "0"}`;
    expect(identityProof(token, otherNonce)).not.toBe(body.proof);
    expect(identityProofMatches("another-token", nonce, body.proof)).toBe(false);
  });

  it.each([
    ["no nonce", ""],
    ["a short nonce", "?nonce=abcd"],
    ["a nonce that is not hex", `?nonce=${"z".repeat(64)}`],
    ["an uppercase nonce", `?nonce=${"A".repeat(64)}`],
    ["a nonce over 64 bytes", `?nonce=${"a".repeat(130)}`],
  ])("refuses %s with 400", async (_what, query) => {
    const response = await fetch(`${h.server.httpUrl}/identify${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: ["nonce: give 32 to 128 lowercase hex digits"] });
  });
});

describe("identityProofMatches", () => {
  it("rejects proofs that are not 64 hex digits without throwing", () => {
    for (const proof of ["", "abc", "g".repeat(64), "0".repeat(63), "0".repeat(66)])
      expect(identityProofMatches("t", "n", proof)).toBe(false);
  });
});
