// How larder serve serves the built UI (dist/renderer, built by `npm run build` before the tests): its pages'
// URLs answer index.html under the UI's CSP, hashed assets are cached for good, a foreign Host is refused, and a
// copy without a built UI says how to build it.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { rawRequest, startHarness, type ServerHarness } from "./harness.js";

let h: ServerHarness;

beforeAll(async () => {
  h = await startHarness("ui-serving", { seed: false });
});
afterAll(async () => {
  await h.stop();
});

describe("the built UI", () => {
  it("answers every page's URL with index.html, uncached, under a CSP that allows only its own scripts", async () => {
    for (const path of ["/", "/browse", "/mirror", "/providers/registry.terraform.io/hashicorp/aws"]) {
      const response = await fetch(`${h.server.httpUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-eval/);
      expect(await response.text()).toMatch(/<div id="root"><\/div>/);
    }
  });

  it("serves the hashed assets index.html names for a year, and a missing asset as 404", async () => {
    const html = await (await fetch(`${h.server.httpUrl}/browse`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${h.server.httpUrl}${script ?? ""}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);
    expect((await fetch(`${h.server.httpUrl}/assets/no-such-file.js`)).status).toBe(404);
  });

  it("refuses a page asked for under a foreign Host name (DNS rebinding)", async () => {
    const answer = await rawRequest(h.server.httpUrl, "/browse", { headers: { host: "evil.example" } });
    expect(answer.status).toBe(403);
  });

  it("leaves the protocol routes and unknown paths alone", async () => {
    expect((await fetch(`${h.server.httpUrl}/no-such-page`)).status).toBe(404);
    expect((await fetch(`${h.server.httpUrl}/.well-known/terraform.json`)).status).toBe(200);
  });
});

describe("a copy of Larder whose UI was not built", () => {
  let temp: TempDir;
  let bare: ServerHarness;

  beforeAll(async () => {
    temp = await makeTempDir("ui-not-built");
    await mkdir(join(temp.path, "empty"));
    // Read when the app is built, so setting it around the start is enough.
    process.env.LARDER_UI_DIR = join(temp.path, "empty");
    try {
      bare = await startHarness("ui-not-built", { seed: false });
    } finally {
      delete process.env.LARDER_UI_DIR;
    }
  });
  afterAll(async () => {
    await bare.stop();
    await temp.remove();
  });

  it("answers / with a page saying how to build it, and the page URLs are not routed", async () => {
    const response = await fetch(`${bare.server.httpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(await response.text()).toMatch(/npm run build/);
    expect((await fetch(`${bare.server.httpUrl}/browse`)).status).toBe(404);
  });
});
