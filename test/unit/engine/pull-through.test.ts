import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import {
  LISTING_RETRY_AFTER_MS,
  PullThrough,
  type PullThroughSources,
} from "../../../main/engine/pull-through.js";
import type { UpstreamProviderVersion } from "../../../main/upstream/provider-registry-client.js";

const ADDRESS = { host: "registry.terraform.io", namespace: "hashicorp", type: "null" };
const V1: UpstreamProviderVersion = {
  version: "1.0.0",
  protocols: ["5.0"],
  platforms: [{ os: "linux", arch: "amd64" }],
};

/** Sources whose provider listing is scripted per call, counting the calls. */
function scripted(
  answers: (() => Promise<UpstreamProviderVersion[]>)[],
): PullThroughSources & { calls: number } {
  const sources = {
    calls: 0,
    listProviderVersions: () => {
      const answer = answers[sources.calls] ?? answers.at(-1);
      sources.calls += 1;
      if (!answer) throw new Error("no answer scripted");
      return answer();
    },
    listModuleVersions: () => Promise.resolve([]),
    fetchProviderPackage: () => Promise.resolve(),
    fetchModuleVersion: () => Promise.resolve(),
  };
  return sources;
}

const down = (): Promise<never> =>
  Promise.reject(new LarderError("upstream_unreachable", "connection refused"));

describe("PullThrough version listings", () => {
  it("asks upstream once for concurrent requests of the same listing", async () => {
    let answer: (value: UpstreamProviderVersion[]) => void = () => undefined;
    const sources = scripted([() => new Promise((resolve) => (answer = resolve))]);
    const pull = new PullThrough(sources, 60_000);
    const both = Promise.all([pull.providerVersions(ADDRESS), pull.providerVersions(ADDRESS)]);
    answer([V1]);
    expect((await both).map((listing) => listing.value)).toEqual([[V1], [V1]]);
    expect(sources.calls).toBe(1);
  });

  it("serves the cached list marked stale when upstream fails, and does not wait on it again for a while", async () => {
    let now = 1_000_000;
    const sources = scripted([() => Promise.resolve([V1]), down, () => Promise.resolve([V1])]);
    const pull = new PullThrough(sources, 0, () => now);
    expect((await pull.providerVersions(ADDRESS)).warning).toBeUndefined();

    now += 1;
    const failed = await pull.providerVersions(ADDRESS);
    expect(failed.value).toEqual([V1]);
    expect(failed.warning).toMatch(
      /could not reach registry\.terraform\.io \(connection refused\); serving the cached/,
    );
    expect(sources.calls).toBe(2);

    now += LISTING_RETRY_AFTER_MS - 2;
    expect((await pull.providerVersions(ADDRESS)).warning).toMatch(/serving the cached version list/);
    expect(sources.calls).toBe(2);

    now += 2;
    expect((await pull.providerVersions(ADDRESS)).warning).toBeUndefined();
    expect(sources.calls).toBe(3);
  });

  it("treats a provider upstream does not know as an empty list, not a failure", async () => {
    const sources = scripted([() => Promise.reject(new LarderError("not_found", "no such provider"))]);
    const pull = new PullThrough(sources, 60_000);
    expect(await pull.providerVersions(ADDRESS)).toEqual({ value: [], warning: undefined });
  });
});
