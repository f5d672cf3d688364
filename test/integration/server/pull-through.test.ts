import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { startPullThrough, stopPullThrough, type PullThroughServer } from "./pull-through-server.js";

const ALPHA = "/v1/providers/registry.terraform.io/fixture/alpha";

describe("serve --pull-through", () => {
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

  async function start(ttlMs = 60_000): Promise<string> {
    const entry = await startPullThrough(fixture, ttlMs);
    running.push(entry);
    return entry.server.httpUrl;
  }

  it("lists upstream versions before anything is stored, and fetches a package on its first download", async () => {
    const url = await start();
    const versions = (await (await fetch(`${url}${ALPHA}/versions`)).json()) as {
      versions: { version: string }[];
    };
    expect(versions.versions.map((entry) => entry.version)).toEqual([
      "1.0.0",
      "1.1.0",
      "2.0.0",
      "2.1.0-beta1",
    ]);
    const download = await fetch(`${url}${ALPHA}/1.1.0/download/linux/amd64`);
    expect(download.status).toBe(200);
    const body = (await download.json()) as { shasum: string; download_url: string };
    expect(body.shasum).toBe(fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").sha256);
    const archive = Buffer.from(await (await fetch(new URL(body.download_url, url))).arrayBuffer());
    expect(
      archive.equals(Buffer.from(fixture.packageOf("fixture", "alpha", "1.1.0", "linux_amd64").zip)),
    ).toBe(true);
  });

  it("shares one upstream download between concurrent requests for the same package", async () => {
    const url = await start();
    fixture.clearRequests();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fetch(`${url}${ALPHA}/2.0.0/download/darwin/arm64`)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const archiveFetches = fixture.requests.filter((line) =>
      line.endsWith("terraform-provider-alpha_2.0.0_darwin_arm64.zip"),
    );
    expect(archiveFetches).toHaveLength(1);
  });

  it("refuses a package that fails verification and stores nothing", async () => {
    const url = await start();
    const answer = await fetch(
      `${url}/v1/providers/registry.terraform.io/hostile/tampered-archive/1.0.0/download/linux/amd64`,
    );
    expect(answer.status).toBe(422);
    const body = (await answer.json()) as { errors: string[] };
    expect(body.errors[0]).toMatch(/tampered with; nothing was stored/);
    const again = await fetch(`${url}/v1/providers/registry.terraform.io/hostile/tampered-archive/versions`);
    expect(((await again.json()) as { versions: unknown[] }).versions).toHaveLength(1);
  });

  it("answers 404 for what upstream does not have either, counting a miss", async () => {
    const url = await start();
    expect((await fetch(`${url}${ALPHA}/9.9.9/download/linux/amd64`)).status).toBe(404);
    expect((await fetch(`${url}/v1/providers/registry.terraform.io/fixture/nothing/versions`)).status).toBe(
      404,
    );
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
      /larder_served_packages_total\{kind="provider",result="miss"\} 1/,
    );
  });

  it("serves the last version list with a warning when the upstream goes down, and stored packages still", async () => {
    const upstream = await startFixtureUpstream();
    const entry = await startPullThrough(upstream, 0);
    running.push(entry);
    const url = entry.server.httpUrl;
    expect((await fetch(`${url}${ALPHA}/versions`)).status).toBe(200);
    expect((await fetch(`${url}${ALPHA}/1.1.0/download/linux/amd64`)).status).toBe(200);
    await upstream.stop();
    const listing = (await (await fetch(`${url}${ALPHA}/versions`)).json()) as {
      versions: { version: string }[];
      warnings?: string[];
    };
    expect(listing.versions.map((version) => version.version)).toEqual([
      "1.0.0",
      "1.1.0",
      "2.0.0",
      "2.1.0-beta1",
    ]);
    expect(listing.warnings?.[0]).toMatch(
      /could not reach registry\.terraform\.io .*serving the cached version list from/,
    );
    expect((await fetch(`${url}${ALPHA}/1.1.0/download/linux/amd64`)).status).toBe(200);
  });
});
