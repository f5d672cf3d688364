import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { startPullThrough, stopPullThrough, type PullThroughServer } from "./pull-through-server.js";

const ALPHA = "/providers/registry.terraform.io/fixture/alpha";

interface VersionDocument {
  archives: Record<string, { url: string; hashes?: string[] }>;
}

describe("the network mirror with --pull-through", () => {
  let fixture: FixtureUpstream;
  const running: PullThroughServer[] = [];

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
  });
  afterAll(async () => {
    await fixture.stop();
  });
  afterEach(async () => {
    for (const entry of running.splice(0)) await stopPullThrough(entry);
  });

  async function start(upstream = fixture, pullThrough = true): Promise<string> {
    const entry = await startPullThrough(upstream, 60_000, pullThrough);
    running.push(entry);
    return entry.server.httpUrl;
  }

  async function versionDocument(url: string, version: string): Promise<VersionDocument> {
    const answer = await fetch(`${url}${ALPHA}/${version}.json`);
    expect(answer.status).toBe(200);
    return (await answer.json()) as VersionDocument;
  }

  it("lists upstream versions and platforms of an empty mirror, the unverified ones without hashes", async () => {
    const url = await start();
    const index = (await (await fetch(`${url}${ALPHA}/index.json`)).json()) as {
      versions: Record<string, object>;
    };
    expect(Object.keys(index.versions)).toEqual(["1.0.0", "1.1.0", "2.0.0", "2.1.0-beta1"]);
    const document = await versionDocument(url, "1.1.0");
    expect(Object.keys(document.archives).sort()).toEqual(["darwin_arm64", "linux_amd64", "windows_amd64"]);
    expect(document.archives.linux_amd64).toEqual({ url: `${ALPHA}/1.1.0/pull/linux_amd64` });
  });

  it("fetches, verifies and stores a platform on its first download, then lists it with h1: and zh:", async () => {
    const url = await start();
    const pkg = fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64");
    const pulled = await fetch(`${url}${ALPHA}/1.1.0/pull/linux_amd64`, { redirect: "manual" });
    expect(pulled.status).toBe(302);
    const location = pulled.headers.get("location") ?? "";
    expect(location).toBe(
      "/files/providers/registry.terraform.io/fixture/alpha/1.1.0/terraform-provider-alpha_1.1.0_linux_amd64.zip",
    );
    const archive = Buffer.from(await (await fetch(new URL(location, url))).arrayBuffer());
    expect(archive.equals(Buffer.from(pkg.zip))).toBe(true);

    const document = await versionDocument(url, "1.1.0");
    expect(document.archives.linux_amd64?.url).toBe(location);
    // h1: itself is checked against an independent implementation in network-mirror.test.ts.
    expect(document.archives.linux_amd64?.hashes).toEqual([
      expect.stringMatching(/^h1:[A-Za-z0-9+/]{43}=$/),
      `zh:${pkg.sha256}`,
    ]);
    expect(document.archives.darwin_arm64).toEqual({ url: `${ALPHA}/1.1.0/pull/darwin_arm64` });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /larder_served_packages_total\{kind="provider",result="pull_through"\} 1/,
    );
  });

  it("refuses a package that fails verification, stores nothing and counts a miss", async () => {
    const url = await start();
    const hostile = "/providers/registry.terraform.io/hostile/tampered-archive";
    const answer = await fetch(`${url}${hostile}/1.0.0/pull/linux_amd64`, { redirect: "manual" });
    expect(answer.status).toBe(422);
    expect(((await answer.json()) as { errors: string[] }).errors[0]).toMatch(/nothing was stored/);
    const document = (await (await fetch(`${url}${hostile}/1.0.0.json`)).json()) as VersionDocument;
    expect(document.archives.linux_amd64).toEqual({ url: `${hostile}/1.0.0/pull/linux_amd64` });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /larder_served_packages_total\{kind="provider",result="miss"\} 1/,
    );
  });

  it("answers 404 for a version or platform upstream does not have, and for a malformed platform", async () => {
    const url = await start();
    expect((await fetch(`${url}${ALPHA}/9.9.9.json`)).status).toBe(404);
    expect((await fetch(`${url}${ALPHA}/9.9.9/pull/linux_amd64`)).status).toBe(404);
    expect((await fetch(`${url}${ALPHA}/1.1.0/pull/linux-amd64`)).status).toBe(404);
    expect((await fetch(`${url}/providers/registry.terraform.io/fixture/nothing/index.json`)).status).toBe(
      404,
    );
  });

  it("serves what it stored, and the last list, once the upstream is down", async () => {
    const upstream = await startFixtureUpstream();
    const url = await start(upstream);
    expect((await fetch(`${url}${ALPHA}/index.json`)).status).toBe(200);
    expect((await fetch(`${url}${ALPHA}/1.1.0/pull/linux_amd64`)).status).toBe(200);
    await upstream.stop();
    const index = (await (await fetch(`${url}${ALPHA}/index.json`)).json()) as {
      versions: Record<string, object>;
    };
    expect(Object.keys(index.versions)).toEqual(["1.0.0", "1.1.0", "2.0.0", "2.1.0-beta1"]);
    const document = await versionDocument(url, "1.1.0");
    expect(document.archives.linux_amd64?.hashes).toHaveLength(2);
    expect((await fetch(`${url}${ALPHA}/1.1.0/pull/linux_amd64`)).status).toBe(200);
    expect((await fetch(`${url}${ALPHA}/1.1.0/pull/darwin_arm64`)).status).toBe(502);
  });

  it("never pulls without --pull-through: upstream-only versions are unknown", async () => {
    const url = await start(fixture, false);
    fixture.clearRequests();
    expect((await fetch(`${url}${ALPHA}/index.json`)).status).toBe(404);
    expect((await fetch(`${url}${ALPHA}/1.1.0/pull/linux_amd64`)).status).toBe(404);
    expect(fixture.requests).toEqual([]);
  });
});
