// Settings changed on a running Larder apply to its next job, and upstream tokens reach only the registry's APIs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import type { LarderEvent } from "../../../main/engine/larder-events.js";
import {
  defaultFixtureProviders,
  keylessFixtureProvider,
  startFixtureUpstream,
  type FixtureUpstream,
} from "../../fixtures/upstream/index.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const TOFU = "registry.opentofu.org";
const TOKEN = "s3cr3t-registry-token";
const keyless = { address: `${TOFU}/fixture/keyless`, versions: ["1.0.0"], platforms: ["linux_amd64"] };
const alpha = { address: "fixture/alpha", versions: ["1.0.0"], platforms: ["linux_amd64"] };

let open: FixtureUpstream;
let guarded: FixtureUpstream;
let temp: TempDir;
const opened: Larder[] = [];

beforeAll(async () => {
  open = await startFixtureUpstream({ providers: [...defaultFixtureProviders, keylessFixtureProvider] });
  guarded = await startFixtureUpstream({ requireToken: TOKEN });
});

afterAll(async () => {
  await Promise.all([open.stop(), guarded.stop()]);
});

beforeEach(async () => {
  temp = await makeTempDir("live-settings");
  open.clearRequests();
  guarded.clearRequests();
});

afterEach(async () => {
  for (const larder of opened.splice(0)) larder.close();
  await temp.remove();
});

async function larderWith(upstreams: ReadonlyMap<string, string> = new Map()): Promise<Larder> {
  const larder = await openTerraformLarder({
    dataDir: temp.path,
    upstreams,
    http: { retries: 0 },
  });
  opened.push(larder);
  return larder;
}

function recordEvents(larder: Larder): LarderEvent[] {
  const events: LarderEvent[] = [];
  larder.events.subscribe((event) => events.push(event));
  return events;
}

describe("settings apply to the next job without reopening", () => {
  it("requireSignatures refuses a keyless provider right after it is set", async () => {
    const larder = await larderWith(new Map([[TOFU, open.urlFor("opentofu-registry")]]));
    const events = recordEvents(larder);
    larder.settings.setFromText("requireSignatures", "true");
    expect(events).toContainEqual({ kind: "settings-changed", keys: ["requireSignatures"] });
    const refused = await larder.mirrorProviders(keyless);
    expect(refused.stored).toHaveLength(0);
    expect(refused.failed[0]?.message).toMatch(/signatures are required/);

    larder.settings.unset("requireSignatures");
    const stored = await larder.mirrorProviders(keyless);
    expect(stored.failed).toEqual([]);
    expect(stored.stored).toHaveLength(1);
  });

  it("the --require-signatures flag wins over a false setting", async () => {
    const larder = await openTerraformLarder({
      dataDir: temp.path,
      upstreams: new Map([[TOFU, open.urlFor("opentofu-registry")]]),
      requireSignatures: true,
    });
    opened.push(larder);
    larder.settings.set("requireSignatures", false);
    expect(larder.requiresSignatures()).toBe(true);
    expect((await larder.mirrorProviders(keyless)).failed[0]?.message).toMatch(/signatures are required/);
  });

  it("concurrency settings change the worker limits at once; flags win for their own limit", async () => {
    const larder = await larderWith();
    expect(larder.workerLimits()).toEqual({ global: 4, perHost: 2 });
    larder.settings.update({ concurrency: 7, perHostConcurrency: 3 });
    expect(larder.workerLimits()).toEqual({ global: 7, perHost: 3 });
    larder.close();
    opened.length = 0;
    const flagged = await openTerraformLarder({ dataDir: temp.path, workers: { perHost: 1 } });
    opened.push(flagged);
    expect(flagged.workerLimits()).toEqual({ global: 7, perHost: 1 });
  });

  it("pullThroughSetting reflects the settings", async () => {
    const larder = await larderWith();
    expect(larder.pullThroughSetting()).toEqual({ enabled: false, ttlSeconds: 300 });
    larder.settings.update({ pullThrough: true, pullThroughTtlSeconds: 60 });
    expect(larder.pullThroughSetting()).toEqual({ enabled: true, ttlSeconds: 60 });
  });
});

describe("upstream registries as a setting", () => {
  it("a registry with a token: sent to discovery and the registry API only, never echoed back", async () => {
    const larder = await larderWith();
    const events = recordEvents(larder);
    const entry = await larder.setUpstream({
      host: "Registry.Terraform.IO",
      url: guarded.url,
      token: `${TOKEN}\n`,
    });
    expect(entry).toEqual({
      host: "registry.terraform.io",
      url: guarded.url,
      hasToken: true,
      source: "setting",
    });
    expect(events).toContainEqual({ kind: "settings-changed", keys: ["upstreams"] });
    expect(JSON.stringify(larder.listUpstreams())).not.toContain(TOKEN);
    expect(JSON.stringify(larder.settings.values())).not.toContain(TOKEN);

    const report = await larder.mirrorProviders(alpha);
    expect(report.failed).toEqual([]);
    expect(report.stored).toHaveLength(1);
    const bearer = `Bearer ${TOKEN}`;
    expect(guarded.authorized.map((line) => line.replace(/\?.*? /, " "))).toEqual([
      `GET /.well-known/terraform.json ${bearer}`,
      `GET /v1/providers/fixture/alpha/versions ${bearer}`,
      `GET /v1/providers/fixture/alpha/1.0.0/download/linux/amd64 ${bearer}`,
    ]);
    // The archive, SHA256SUMS and signature were fetched, without the token.
    expect(guarded.requests.filter((line) => line.includes("/releases/")).length).toBeGreaterThanOrEqual(3);
  });

  it("without the token the private registry refuses, and a changed token applies to the next request", async () => {
    const larder = await larderWith();
    await larder.setUpstream({ host: "registry.terraform.io", url: guarded.url, token: "wrong" });
    await expect(larder.mirrorProviders(alpha)).rejects.toThrow(
      /HTTP 401.*larder upstream add registry\.terraform\.io --token-stdin/,
    );
    await larder.setUpstream({ host: "registry.terraform.io", token: TOKEN });
    expect(larder.listUpstreams()[0]).toMatchObject({ url: guarded.url, hasToken: true });
    expect((await larder.mirrorProviders(alpha)).stored).toHaveLength(1);

    await larder.setUpstream({ host: "registry.terraform.io", token: null });
    expect(larder.listUpstreams()).toEqual([
      { host: "registry.terraform.io", url: guarded.url, hasToken: false, source: "setting" },
    ]);
    await larder.removeUpstream("registry.terraform.io");
    expect(larder.listUpstreams()).toEqual([]);
  });

  it("a --upstream flag wins over the setting's URL for its host", async () => {
    const larder = await larderWith(new Map([["registry.terraform.io", open.url]]));
    await larder.setUpstream({ host: "registry.terraform.io", url: guarded.url });
    expect(larder.listUpstreams()).toEqual([
      { host: "registry.terraform.io", url: open.url, hasToken: false, source: "flag" },
    ]);
    expect((await larder.mirrorProviders(alpha)).stored).toHaveLength(1);
    expect(guarded.requests).toEqual([]);
  });

  it("refuses bad hosts, URLs and tokens before writing anything", async () => {
    const larder = await larderWith();
    await expect(larder.setUpstream({ host: "bad host", url: guarded.url })).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(larder.setUpstream({ host: "x.example", url: "ftp://x.example" })).rejects.toThrow(
      /http: or https:/,
    );
    await expect(larder.setUpstream({ host: "x.example", url: "https://u:p@x.example" })).rejects.toThrow(
      /user name or password/,
    );
    await expect(larder.setUpstream({ host: "x.example", token: "two words" })).rejects.toThrow(
      /printable ASCII/,
    );
    expect(larder.listUpstreams()).toEqual([]);
    await expect(larder.removeUpstream("x.example")).rejects.toMatchObject({ code: "not_found" });
  });
});
