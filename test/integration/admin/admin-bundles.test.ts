import { readFile, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import { startServer, type RunningServer } from "../../../main/server/start-server.js";
import {
  apiErrorSchema,
  apiEventSchema,
  auditPageSchema,
  bundleHistorySchema,
  exportPlanSchema,
  exportResultSchema,
  importResultSchema,
  inventorySchema,
  verifyReportSchema,
  type Inventory,
} from "../../../shared/api/index.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { SseReader } from "../../helpers/sse-reader.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { filesBelow, flipByte, rewriteBundle, type TarEntry } from "../bundle/bundle-support.js";
import { ALPHA, BETA } from "../server/harness.js";
import { startAdminHarness, type AdminHarness } from "./admin-support.js";

// Bundles over the admin API, over real servers and data dirs: export to a path and as a download, verify and
// import from a path or an upload into a second mirror, signatures and trust, tampering, progress events.

const TF = "registry.terraform.io";
const TOFU = "registry.opentofu.org";
const ZIP = `providers/${TF}/fixture/alpha/terraform-provider-alpha_1.1.0_linux_amd64.zip`;
const PASSPHRASE = "correct horse battery staple";

/** A second mirror: a fresh data dir and a server on it, reached with its own token. */
interface Receiver {
  readonly larder: Larder;
  readonly server: RunningServer;
  readonly dataDir: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

async function startReceiver(temp: TempDir, name: string): Promise<Receiver> {
  const dataDir = join(temp.path, name);
  const larder = await openTerraformLarder({ dataDir, upstreams: new Map() });
  const server = await startServer(larder, {
    host: "127.0.0.1",
    httpPort: 0,
    httpsPort: undefined,
    log: () => undefined,
  });
  const token = await server.tokens.current();
  return {
    larder,
    server,
    dataDir,
    api: (path, init = {}) => {
      const { json, headers, ...rest } = init;
      return fetch(`${server.httpUrl}${path}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json === undefined ? {} : { "content-type": "application/json" }),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
    stop: async () => {
      await server.close(0);
      larder.close();
    },
  };
}

type Api = Receiver["api"];

async function json(response: Response): Promise<unknown> {
  return JSON.parse(await response.text()) as unknown;
}

/** Asserts a 400 and returns its field paths. */
async function badInput(response: Response): Promise<string[]> {
  const text = await response.text();
  expect(response.status, text).toBe(400);
  const body = apiErrorSchema.parse(JSON.parse(text));
  return (body.fields ?? []).map((field) => field.path);
}

async function inventoryOf(target: { api: Api }): Promise<Inventory> {
  const response = await target.api("/api/inventory");
  expect(response.status).toBe(200);
  return inventorySchema.parse(await json(response));
}

/** Every stored provider package as "host/ns/type version os_arch", sorted. */
function packagesIn(inventory: Inventory): string[] {
  return inventory.hosts
    .flatMap((host) =>
      host.providers.flatMap((provider) =>
        provider.versions.flatMap((version) =>
          version.platforms.map(
            (platform) =>
              `${host.host}/${provider.namespace}/${provider.type} ${version.version} ${platform.os}_${platform.arch}`,
          ),
        ),
      ),
    )
    .sort();
}

function modulesIn(inventory: Inventory): string[] {
  return inventory.hosts
    .flatMap((host) =>
      host.modules.flatMap((module) =>
        module.versions.map(
          (version) => `${host.host}/${module.namespace}/${module.name}/${module.system} ${version.version}`,
        ),
      ),
    )
    .sort();
}

/** POSTs a bundle file's bytes as an upload. */
async function upload(
  target: { api: Api },
  route: string,
  file: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return target.api(route, {
    method: "POST",
    headers: { "content-type": "application/x-tar", ...headers },
    body: await readFile(file),
  });
}

describe("admin bundles", { timeout: 180_000 }, () => {
  let h: AdminHarness;
  let temp: TempDir;
  let events: SseReader;
  let privateKeyFile: string;
  let publicKey: string;
  let otherPublicKey: string;
  let keyId: string;
  let full: { bundleId: string; path: string };
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    temp = await makeTempDir("admin-bundles");
    h = await startAdminHarness("admin-bundles");
    const report = await h.larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: ["1.0.0"],
      withDependencies: false,
      platforms: [],
    });
    if (report.failed.length > 0) throw new Error(`module mirror failed: ${JSON.stringify(report.failed)}`);
    const key = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Bundle Sender", email: "sender@example.test" }],
      passphrase: PASSPHRASE,
    });
    const other = await openpgp.generateKey({ type: "ecc", userIDs: [{ name: "Someone Else" }] });
    publicKey = key.publicKey;
    otherPublicKey = other.publicKey;
    privateKeyFile = join(temp.path, "sender-private.asc");
    await writeFile(privateKeyFile, key.privateKey);
    keyId = (await openpgp.readKey({ armoredKey: key.publicKey })).getKeyID().toHex().toUpperCase();
    events = await SseReader.open(`${h.server.httpUrl}/api/events`, { authorization: `Bearer ${h.token}` });
  });

  afterAll(async () => {
    events.close();
    for (const receiver of receivers) await receiver.stop();
    await h.stop();
    await temp.remove();
  });

  async function receiver(name: string): Promise<Receiver> {
    const started = await startReceiver(temp, name);
    receivers.push(started);
    return started;
  }

  it("POST /api/bundles/export writes the file, with bundle events, and the history lists it", async () => {
    const seen = events.events.length;
    const path = join(temp.path, "all.tar");
    const response = await h.api("/api/bundles/export", { method: "POST", json: { path } });
    expect(response.status).toBe(200);
    const result = exportResultSchema.parse(await json(response));
    expect(result).toMatchObject({
      path,
      providerPackages: 6,
      moduleVersions: 1,
      signedBy: null,
      parentId: null,
    });
    expect((await stat(path)).size).toBe(result.fileBytes);
    full = { bundleId: result.bundleId, path };

    const phases = await (async () => {
      await events.waitFor(
        (event) =>
          event.event === "bundle" && events.events.indexOf(event) >= seen && event.data.includes("finished"),
      );
      return events.events
        .slice(seen)
        .filter((event) => event.event === "bundle")
        .map((event) => apiEventSchema.parse(JSON.parse(event.data)))
        .map((event) => (event.type === "bundle" ? event : undefined));
    })();
    expect(phases.map((event) => event?.operation)).toEqual(phases.map(() => "export"));
    expect(phases[0]?.phase).toBe("started");
    expect(phases.at(-1)).toMatchObject({
      phase: "finished",
      bytesDone: result.fileBytes,
      bytesTotal: result.fileBytes,
    });
    expect(phases.some((event) => event?.phase === "progress")).toBe(true);

    const history = bundleHistorySchema.parse(await json(await h.api("/api/bundles")));
    expect(history.bundles).toContainEqual(
      expect.objectContaining({ id: result.bundleId, direction: "export", file: path, providerPackages: 6 }),
    );
    const audit = auditPageSchema.parse(await json(await h.api("/api/audit?action=bundle.export")));
    expect(audit.entries[0]).toMatchObject({ actor: "api", outcome: "ok", target: path });
  });

  it("exports incrementally with since, after mirroring more", async () => {
    await h.mirror({ address: ALPHA, versions: ["1.0.0"], platforms: ["linux_amd64"] });
    const path = join(temp.path, "since.tar");
    const response = await h.api("/api/bundles/export", {
      method: "POST",
      json: { path, since: full.bundleId },
    });
    expect(response.status).toBe(200);
    const result = exportResultSchema.parse(await json(response));
    expect(result).toMatchObject({ providerPackages: 1, moduleVersions: 0, parentId: full.bundleId });
    const history = bundleHistorySchema.parse(await json(await h.api("/api/bundles")));
    expect(history.bundles.find((bundle) => bundle.id === result.bundleId)?.parentId).toBe(full.bundleId);
  });

  it("answers bad export input with 400 and the field", async () => {
    expect(await badInput(await h.api("/api/bundles/export", { method: "POST", json: {} }))).toEqual([
      "path",
    ]);
    const path = join(temp.path, "never.tar");
    expect(
      await badInput(
        await h.api("/api/bundles/export", { method: "POST", json: { path, platforms: ["linux"] } }),
      ),
    ).toEqual(["platforms.0"]);
    expect(
      await badInput(await h.api("/api/bundles/export", { method: "POST", json: { path, colour: "red" } })),
    ).toEqual([""]);
    expect(await badInput(await h.api("/api/bundles/export.tar?platform=linux"))).toEqual([
      "query.platforms.0",
    ]);
    // Values the schema lets through but the engine cannot parse still name their field.
    for (const [extra, field] of [
      [{ providers: [ALPHA, "not an address"] }, "providers.1"],
      [{ modules: ["nope"] }, "modules.0"],
      [{ version: ">>1" }, "version"],
      [{ signKeyPath: join(temp.path, "missing.asc") }, "signKeyPath"],
    ] as const) {
      const response = await h.api("/api/bundles/export", { method: "POST", json: { path, ...extra } });
      expect(await badInput(response), JSON.stringify(extra)).toEqual([field]);
    }
    expect(await badInput(await h.api("/api/bundles/export.tar?provider=bad%20addr"))).toEqual([
      "query.providers.0",
    ]);
    // A folder that does not exist is the caller's mistake, not a server failure.
    const nowhere = join(temp.path, "no", "such", "folder", "x.tar");
    expect(
      await badInput(await h.api("/api/bundles/export", { method: "POST", json: { path: nowhere } })),
    ).toEqual(["path"]);
    expect(
      await badInput(
        await h.api("/api/bundles/verify", {
          method: "POST",
          json: { path: full.path, trustedKeyPath: join(temp.path, "missing.asc") },
        }),
      ),
    ).toEqual(["trustedKeyPath"]);
    await expect(stat(path)).rejects.toThrow();
  });

  it("GET /api/bundles/export.tar streams exactly Content-Length bytes of the bundle it names", async () => {
    const response = await h.api("/api/bundles/export.tar");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-tar");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="larder-.*\.tar"$/);
    const id = response.headers.get("x-larder-bundle-id");
    const body = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("content-length"))).toBe(body.length);
    const file = join(temp.path, "downloaded.tar");
    await writeFile(file, body);
    const verified = await h.api("/api/bundles/verify", { method: "POST", json: { path: file } });
    expect(verified.status).toBe(200);
    const report = verifyReportSchema.parse(await json(verified));
    expect(report.ok).toBe(true);
    expect(report.bundleId).toBe(id);
  });

  it("POST /api/bundles/plan tells the exact size a download will have, writing and recording nothing", async () => {
    const before = bundleHistorySchema.parse(await json(await h.api("/api/bundles"))).bundles.length;
    const planned = await h.api("/api/bundles/plan", { method: "POST", json: { providers: [BETA] } });
    expect(planned.status).toBe(200);
    const plan = exportPlanSchema.parse(await json(planned));
    expect(plan.providerPackages).toBeGreaterThan(0);
    expect(plan).toMatchObject({ moduleVersions: 0, parentId: null, signedBy: null });
    const download = await h.api(`/api/bundles/export.tar?provider=${BETA}`);
    expect(Number(download.headers.get("content-length"))).toBe(plan.tarBytes);
    expect((await download.arrayBuffer()).byteLength).toBe(plan.tarBytes);
    const signed = exportPlanSchema.parse(
      await json(
        await h.api("/api/bundles/plan", {
          method: "POST",
          json: { providers: [BETA], signKeyPath: privateKeyFile, signKeyPassphrase: PASSPHRASE },
        }),
      ),
    );
    expect(signed.signedBy).toBe(keyId);
    expect(signed.tarBytes).toBeGreaterThan(plan.tarBytes);
    // Only the download was recorded, not either plan.
    expect(bundleHistorySchema.parse(await json(await h.api("/api/bundles"))).bundles.length).toBe(
      before + 1,
    );
    // Incremental on the download just made: nothing is left to carry.
    const since = download.headers.get("x-larder-bundle-id") ?? "";
    const nothing = await h.api("/api/bundles/plan", { method: "POST", json: { providers: [BETA], since } });
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain("Nothing to export");
    expect(
      await badInput(await h.api("/api/bundles/plan", { method: "POST", json: { path: "/x" } })),
    ).toEqual([""]);
  });

  it("honours ?provider=&platform= in the download (checked by importing it into a second mirror)", async () => {
    const response = await h.api(`/api/bundles/export.tar?provider=${BETA}&platform=linux_amd64`);
    expect(response.status).toBe(200);
    const file = join(temp.path, "beta-linux.tar");
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const second = await receiver("selection");
    const imported = await upload(second, "/api/bundles/import?trust=unchecked", file);
    expect(imported.status).toBe(200);
    expect(importResultSchema.parse(await json(imported))).toMatchObject({
      status: "imported",
      providerPackages: 1,
      moduleVersions: 0,
    });
    const inventory = await inventoryOf(second);
    expect(packagesIn(inventory)).toEqual([`${TOFU}/fixture/beta 0.4.0 linux_amd64`]);
    expect(modulesIn(inventory)).toEqual([]);
  });

  it("POST /api/bundles/verify with a path and with an upload: every check ok", async () => {
    for (const response of [
      await h.api("/api/bundles/verify", { method: "POST", json: { path: full.path } }),
      await upload(h, "/api/bundles/verify", full.path),
    ]) {
      expect(response.status).toBe(200);
      const report = verifyReportSchema.parse(await json(response));
      expect(report).toMatchObject({ ok: true, bundleId: full.bundleId, sums: { status: "ok" } });
      expect(report.signature).toEqual({ status: "unsigned" });
      expect(report.entries.every((entry) => entry.status === "ok")).toBe(true);
      expect(report.entries.map((entry) => entry.path)).toContain(ZIP);
    }
    expect(await filesBelow(join(h.dataDir, "tmp"))).toEqual([]);
    const missing = await h.api("/api/bundles/verify", {
      method: "POST",
      json: { path: join(temp.path, "nothing.tar") },
    });
    expect(missing.status).toBe(404);
    expect(await badInput(await h.api("/api/bundles/verify", { method: "POST", json: {} }))).toEqual([
      "path",
    ]);
  });

  let tampered: string;

  it("verifies a tampered upload as ok:false naming the entry", async () => {
    tampered = join(temp.path, "tampered.tar");
    await rewriteBundle(full.path, tampered, (entries: TarEntry[]) =>
      entries.map((entry) => (entry.name === ZIP ? { ...entry, data: flipByte(entry.data) } : entry)),
    );
    const response = await upload(h, "/api/bundles/verify", tampered);
    expect(response.status).toBe(200);
    const report = verifyReportSchema.parse(await json(response));
    expect(report.ok).toBe(false);
    const failed = report.entries.filter((entry) => entry.status === "failed");
    expect(failed.map((entry) => entry.path)).toEqual([ZIP]);
    expect(failed[0]?.status === "failed" ? failed[0].reasons.join(" ") : "").toMatch(
      /sha256|SHA256SUMS|hash/i,
    );
    expect(await filesBelow(join(h.dataDir, "tmp"))).toEqual([]);
  });

  it("imports an upload into a second mirror with trust=unchecked; the same bundle again is already-imported", async () => {
    const second = await receiver("unchecked");
    const stream = await SseReader.open(`${second.server.httpUrl}/api/events`, {
      authorization: `Bearer ${await second.server.tokens.current()}`,
    });
    await stream.waitFor((event) => event.event === "server");
    const response = await upload(second, "/api/bundles/import?trust=unchecked", full.path);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(importResultSchema.parse(JSON.parse(text))).toEqual({
      status: "imported",
      bundleId: full.bundleId,
      providerPackages: 6,
      moduleVersions: 1,
    });
    const inventory = await inventoryOf(second);
    expect(packagesIn(inventory)).toEqual(
      packagesIn(await inventoryOf(h)).filter((p) => !p.includes(" 1.0.0 ")),
    );
    expect(modulesIn(inventory)).toEqual([`${TF}/fixture/flat/fixture 1.0.0`]);
    // Windows showing the inventory are told to refetch it; and the import's progress is on the stream too.
    await stream.waitFor((event) => event.event === "inventory");
    const phases = stream
      .dataOf<{ operation: string; phase: string }>("bundle")
      .map((event) => `${event.operation} ${event.phase}`);
    expect(phases[0]).toBe("import started");
    expect(phases.at(-1)).toBe("import finished");
    stream.close();
    const again = await upload(second, "/api/bundles/import?trust=unchecked", full.path);
    expect(again.status).toBe(200);
    expect(importResultSchema.parse(await json(again))).toMatchObject({
      status: "already-imported",
      bundleId: full.bundleId,
    });
    const history = bundleHistorySchema.parse(await json(await second.api("/api/bundles")));
    expect(history.bundles.map((bundle) => [bundle.id, bundle.direction])).toEqual([
      [full.bundleId, "import"],
    ]);
    expect(await filesBelow(join(second.dataDir, "tmp"))).toEqual([]);
    // An incremental bundle on it now imports too.
    const since = await upload(second, "/api/bundles/import?trust=unchecked", join(temp.path, "since.tar"));
    expect(since.status).toBe(200);
    expect(packagesIn(await inventoryOf(second))).toContain(`${ALPHA} 1.0.0 linux_amd64`);
  });

  it("signs on export and imports with trust key: verified with the key, refused with another", async () => {
    const path = join(temp.path, "signed.tar");
    const response = await h.api("/api/bundles/export", {
      method: "POST",
      json: { path, providers: [BETA], signKeyPath: privateKeyFile, signKeyPassphrase: PASSPHRASE },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(exportResultSchema.parse(JSON.parse(text)).signedBy).toBe(keyId);

    const verified = verifyReportSchema.parse(
      await json(
        await h.api("/api/bundles/verify", { method: "POST", json: { path, trustedKey: publicKey } }),
      ),
    );
    expect(verified.signature).toEqual({ status: "trusted", keyId });
    const unchecked = verifyReportSchema.parse(await json(await upload(h, "/api/bundles/verify", path)));
    expect(unchecked.signature).toEqual({ status: "signed-unchecked", keyId });

    const second = await receiver("signed");
    const wrong = await upload(second, "/api/bundles/import?trust=key", path, {
      "x-larder-trusted-key": Buffer.from(otherPublicKey).toString("base64"),
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(wrong.status).toBeLessThan(500);
    expect(apiErrorSchema.parse(await json(wrong)).errors.join(" ")).toMatch(/signature|key/i);
    expect(packagesIn(await inventoryOf(second))).toEqual([]);

    const trusted = await upload(second, "/api/bundles/import?trust=key", path, {
      "x-larder-trusted-key": Buffer.from(publicKey).toString("base64"),
    });
    const trustedText = await trusted.text();
    expect(trusted.status, trustedText).toBe(200);
    expect(importResultSchema.parse(JSON.parse(trustedText))).toMatchObject({
      status: "imported",
      providerPackages: 2,
    });
    const history = bundleHistorySchema.parse(await json(await second.api("/api/bundles")));
    expect(history.bundles[0]?.signedBy).toBe(keyId);
    // The same with a JSON body naming the path and the key text.
    const third = await receiver("signed-path");
    const byPath = await third.api("/api/bundles/import", {
      method: "POST",
      json: { path, trust: "key", trustedKey: publicKey },
    });
    expect(byPath.status).toBe(200);
    expect(packagesIn(await inventoryOf(third))).toHaveLength(2);
  });

  it("refuses trust key without a key with 400, writing nothing", async () => {
    const second = await receiver("no-key");
    expect(
      await badInput(
        await second.api("/api/bundles/import", { method: "POST", json: { path: full.path, trust: "key" } }),
      ),
    ).toEqual(["trust"]);
    // An upload's key goes in a header; without one, trust "key" must not quietly import unchecked.
    expect(await badInput(await upload(second, "/api/bundles/import?trust=key", full.path))).toEqual([
      "query.trust",
    ]);
    expect(await badInput(await upload(second, "/api/bundles/import", full.path))).toEqual(["query.trust"]);
    expect(
      await badInput(await second.api("/api/bundles/import", { method: "POST", json: { path: full.path } })),
    ).toEqual(["trust"]);
    expect(packagesIn(await inventoryOf(second))).toEqual([]);
    expect(await filesBelow(join(second.dataDir, "tmp"))).toEqual([]);
  });

  it("refuses a tampered upload naming the check; the second mirror is unchanged, no upload left in tmp/", async () => {
    const second = await receiver("tampered");
    const before = await inventoryOf(second);
    const response = await upload(second, "/api/bundles/import?trust=unchecked", tampered);
    const text = await response.text();
    expect(response.status, text).toBeGreaterThanOrEqual(400);
    expect(response.status, text).toBeLessThan(500);
    const message = apiErrorSchema.parse(JSON.parse(text)).errors.join(" ");
    expect(message).toContain(ZIP);
    expect(message).toMatch(/sha256|SHA256SUMS|hash/i);
    expect(await inventoryOf(second)).toEqual(before);
    expect(bundleHistorySchema.parse(await json(await second.api("/api/bundles"))).bundles).toEqual([]);
    expect(await filesBelow(join(second.dataDir, "tmp"))).toEqual([]);
    expect(await filesBelow(join(second.dataDir, "blobs"))).toEqual([]);
    const audit = auditPageSchema.parse(await json(await second.api("/api/audit?action=bundle.import")));
    expect(audit.entries[0]).toMatchObject({ actor: "api", outcome: "failed" });
  });

  it("names an upload (upload) in its refusal and its history, never the staged copy", async () => {
    const junk = join(temp.path, "junk.tar");
    await writeFile(junk, Buffer.alloc(4096, 7));
    for (const route of ["/api/bundles/verify", "/api/bundles/import?trust=unchecked"]) {
      const response = await upload(h, route, junk);
      expect(response.status, route).toBe(422);
      const message = apiErrorSchema.parse(await json(response)).errors.join(" ");
      expect(message, route).toContain("(upload) is not a readable tar");
      expect(message, route).not.toContain("upload-");
    }
    // A gzipped download (no Content-Length: its size is not known up front) imports as an upload too.
    const gz = await h.api(`/api/bundles/export.tar?gzip=1&provider=${BETA}`);
    expect(gz.status).toBe(200);
    expect(gz.headers.get("content-type")).toBe("application/gzip");
    const second = await receiver("gzip");
    const imported = await second.api("/api/bundles/import?trust=unchecked", {
      method: "POST",
      headers: { "content-type": "application/gzip" },
      body: Buffer.from(await gz.arrayBuffer()),
    });
    expect(imported.status).toBe(200);
    expect(importResultSchema.parse(await json(imported))).toMatchObject({ providerPackages: 2 });
    const history = bundleHistorySchema.parse(await json(await second.api("/api/bundles")));
    expect(history.bundles.map((bundle) => bundle.file)).toEqual(["(upload)"]);
    expect(await filesBelow(join(second.dataDir, "tmp"))).toEqual([]);
  });

  it("answers 413 to an upload declared larger than the free disk space, before reading it", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(h.server.httpUrl);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: "/api/bundles/verify",
          method: "POST",
          agent: false,
          headers: {
            authorization: `Bearer ${h.token}`,
            "content-type": "application/x-tar",
            // 1 PiB: more than any test machine has free.
            "content-length": String(2 ** 50),
          },
        },
        (res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => (body += chunk.toString()));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.write(Buffer.alloc(1024));
    });
    expect(answer.status).toBe(413);
    expect(apiErrorSchema.parse(JSON.parse(answer.body)).errors.join(" ")).toMatch(
      /does not fit.*MiB are free/,
    );
    expect(await filesBelow(join(h.dataDir, "tmp"))).toEqual([]);
  });
});
