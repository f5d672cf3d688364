import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../../main/server/protocol-cache/answer-cache.js";
import { matchesIfNoneMatch } from "../../../main/server/protocol-cache/send-answer.js";

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe("AnswerCache", () => {
  it("keeps an answer until the generation moves, then starts empty", () => {
    let generation = 1;
    const cache = new AnswerCache(() => generation);
    cache.put("/a", cache.sync(), { status: 200, body: json({ a: 1 }) });
    expect(cache.get("/a")?.body.toString()).toBe('{"a":1}');
    generation = 2;
    expect(cache.get("/a")).toBeUndefined();
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  it("never stores an answer built before a change landed", () => {
    let generation = 1;
    const cache = new AnswerCache(() => generation);
    const readAt = cache.sync();
    generation = 2; // another process commits while the answer is being built
    cache.sync();
    const answer = cache.put("/a", readAt, { status: 200, body: json({ stale: true }) });
    expect(answer.etag).toMatch(/^"[\w-]{32}"$/);
    expect(cache.get("/a")).toBeUndefined();
  });

  it("gives identical bytes the same strong ETag and different bytes or headers another", () => {
    const cache = new AnswerCache(() => 0);
    const put = (key: string, body: Buffer, headers?: Record<string, string>): string =>
      cache.put(key, cache.sync(), { status: 200, body, ...(headers ? { headers } : {}) }).etag;
    expect(put("/a", json([1]))).toBe(put("/b", json([1])));
    expect(put("/a", json([1]))).not.toBe(put("/a", json([2])));
    expect(put("/c", Buffer.alloc(0), { "X-Terraform-Get": "/x" })).not.toBe(
      put("/c", Buffer.alloc(0), { "X-Terraform-Get": "/y" }),
    );
  });

  it("stays within its byte bound for a mirror of 10,000 versions, dropping the least recently used", () => {
    const maxBytes = 4 * 1024 * 1024;
    const cache = new AnswerCache(() => 7, maxBytes);
    const body = Buffer.alloc(3000, "x"); // a download JSON with one ASCII-armoured signing key is about this
    for (let version = 0; version < 10_000; version += 1) {
      const key = `/v1/providers/registry.terraform.io/acme/big/1.0.${version}/download/linux/amd64`;
      cache.put(key, cache.sync(), { status: 200, body });
      if (version === 5_000)
        expect(
          cache.get("/v1/providers/registry.terraform.io/acme/big/1.0.4999/download/linux/amd64"),
        ).toBeDefined();
    }
    const { entries, bytes } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(maxBytes);
    expect(entries).toBeGreaterThan(1000);
    expect(entries).toBeLessThan(10_000);
    expect(
      cache.get("/v1/providers/registry.terraform.io/acme/big/1.0.9999/download/linux/amd64"),
    ).toBeDefined();
    expect(
      cache.get("/v1/providers/registry.terraform.io/acme/big/1.0.0/download/linux/amd64"),
    ).toBeUndefined();
  });

  it("keeps a recently read answer over older ones when it must drop some", () => {
    const cache = new AnswerCache(() => 0, 3 * (1000 + 300));
    const body = Buffer.alloc(1000);
    cache.put("/1", cache.sync(), { status: 200, body });
    cache.put("/2", cache.sync(), { status: 200, body });
    cache.get("/1");
    cache.put("/3", cache.sync(), { status: 200, body });
    cache.put("/4", cache.sync(), { status: 200, body });
    expect(cache.get("/1")).toBeDefined();
    expect(cache.get("/2")).toBeUndefined();
  });

  it("does not keep an answer larger than the whole bound", () => {
    const cache = new AnswerCache(() => 0, 1000);
    cache.put("/huge", cache.sync(), { status: 200, body: Buffer.alloc(5000) });
    expect(cache.stats().entries).toBe(0);
  });
});

describe("matchesIfNoneMatch", () => {
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ["*", true],
    ['"abcd"', false],
    ["abc", false],
    [undefined, false],
  ])("%s → %s", (header, expected) => {
    expect(matchesIfNoneMatch(header, '"abc"')).toBe(expected);
  });
});
