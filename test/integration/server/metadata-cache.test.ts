import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLarder } from "../../helpers/larder-cli.js";
import { ALPHA, rawRequest, startHarness, versionsSchema, type ServerHarness } from "./harness.js";

/**
 * Issue 15: metadata answers come from memory with a strong ETag, and a change to the mirror made by another
 * process (a `larder mirror` or `larder delete` beside the server) is answered at the next request.
 */
let h: ServerHarness;

const TF = "registry.terraform.io";
const VERSIONS = `/v1/providers/${TF}/fixture/alpha/versions`;
const DOWNLOAD = `/v1/providers/${TF}/fixture/alpha/2.0.0/download/linux/amd64`;
const INDEX = `/providers/${TF}/fixture/alpha/index.json`;
const VERSION_JSON = `/providers/${TF}/fixture/alpha/2.0.0.json`;
const MODULE_VERSIONS = `/v1/modules/${TF}/fixture/flat/fixture/versions`;
const MODULE_DOWNLOAD = `/v1/modules/${TF}/fixture/flat/fixture/1.0.0/download`;

beforeAll(async () => {
  h = await startHarness("metadata-cache");
  const report = await h.larder.mirrorModules({
    address: "fixture/flat/fixture",
    versions: ["1.0.0"],
    withDependencies: false,
    platforms: [],
  });
  if (report.failed.length > 0) throw new Error(`stocking failed: ${JSON.stringify(report.failed)}`);
});

afterAll(async () => {
  await h.stop();
});

/** Runs the real CLI on the server's data dir: another process, with its own SQLite connection. */
async function otherProcess(args: readonly string[]): Promise<void> {
  const result = await runLarder([...args, "--data-dir", h.dataDir]);
  expect(result.code, result.stderr).toBe(0);
}

function get(path: string, headers: Record<string, string> = {}): ReturnType<typeof rawRequest> {
  return rawRequest(h.server.httpUrl, path, { headers });
}

function versionsIn(body: Buffer): string[] {
  return versionsSchema.parse(JSON.parse(body.toString("utf8"))).versions.map((entry) => entry.version);
}

describe("cached metadata answers", () => {
  it.each([
    ["providers.v1 versions", VERSIONS, 200],
    ["providers.v1 download", DOWNLOAD, 200],
    ["network mirror index.json", INDEX, 200],
    ["network mirror {version}.json", VERSION_JSON, 200],
    ["modules.v1 versions", MODULE_VERSIONS, 200],
    ["modules.v1 download", MODULE_DOWNLOAD, 204],
  ] as const)(
    "%s: the same bytes and strong ETag every time, no-cache, 304 on a match",
    async (_, path, status) => {
      const first = await get(path);
      expect(first.status).toBe(status);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
      expect(first.headers["cache-control"]).toBe("no-cache");
      if (status === 200) {
        expect(first.headers["content-type"]).toBe("application/json");
        expect(first.headers["content-length"]).toBe(String(first.body.length));
      }

      const second = await get(path);
      expect(second.status).toBe(status);
      expect(second.headers.etag).toBe(etag);
      expect(second.body.equals(first.body)).toBe(true);
      expect(second.headers["x-terraform-get"]).toBe(first.headers["x-terraform-get"]);

      for (const header of [etag ?? "", `W/${etag ?? ""}`, `"other", ${etag ?? ""}`, "*"]) {
        const revalidated = await get(path, { "If-None-Match": header });
        expect(revalidated.status, header).toBe(304);
        expect(revalidated.body.length).toBe(0);
        expect(revalidated.headers.etag).toBe(etag);
      }
      const changed = await get(path, { "If-None-Match": '"something-else"' });
      expect(changed.status).toBe(status);
      expect(changed.body.equals(first.body)).toBe(true);

      const head = await rawRequest(h.server.httpUrl, path, { method: "HEAD" });
      expect(head.status).toBe(status);
      expect(head.body.length).toBe(0);
      expect(head.headers.etag).toBe(etag);
    },
  );

  it("keeps misses out of caches in between: no-store", async () => {
    for (const path of [
      `/v1/providers/${TF}/fixture/nope/versions`,
      `/v1/providers/${TF}/fixture/alpha/9.9.9/download/linux/amd64`,
      `/v1/modules/${TF}/fixture/nope/fixture/versions`,
    ]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.headers["cache-control"], path).toBe("no-store");
      expect(answer.headers.etag, path).toBeUndefined();
    }
  });

  it("counts answers served from memory in /metrics like the others", async () => {
    const hits = async (): Promise<number> => {
      const text = (await get("/metrics")).body.toString("utf8");
      const line = text
        .split("\n")
        .find((candidate) =>
          candidate.startsWith('larder_served_packages_total{kind="provider",result="hit"}'),
        );
      return Number(line?.split(" ").at(-1) ?? "0");
    };
    await get(DOWNLOAD);
    const before = await hits();
    await get(DOWNLOAD);
    await get(DOWNLOAD);
    expect(await hits()).toBe(before + 2);
  });
});

describe("a change by another process", () => {
  it("is answered at the next request: a version mirrored beside the server is listed at once", async () => {
    const before = await get(VERSIONS);
    expect(versionsIn(before.body)).not.toContain("1.0.0");
    const index = await get(INDEX);
    expect(index.status).toBe(200);

    await otherProcess([
      "mirror",
      "provider",
      ALPHA,
      "--version",
      "1.0.0",
      "--platform",
      "linux_amd64",
      "--upstream",
      `${TF}=${h.fixture.url}`,
    ]);

    const after = await get(VERSIONS, { "If-None-Match": before.headers.etag ?? "" });
    expect(after.status).toBe(200);
    expect(versionsIn(after.body)).toContain("1.0.0");
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const indexAfter = await get(INDEX, { "If-None-Match": index.headers.etag ?? "" });
    expect(indexAfter.status).toBe(200);
    expect(
      Object.keys((JSON.parse(indexAfter.body.toString("utf8")) as { versions: object }).versions),
    ).toContain("1.0.0");
  });

  it("is answered at the next request: a platform deleted beside the server is gone at once", async () => {
    const path = `/v1/providers/${TF}/fixture/alpha/1.0.0/download/linux/amd64`;
    expect((await get(path)).status).toBe(200);
    expect((await get(path)).status).toBe(200);

    await otherProcess(["delete", ALPHA, "--version", "1.0.0", "--platform", "linux_amd64"]);

    expect((await get(path)).status).toBe(404);
    expect(versionsIn((await get(VERSIONS)).body)).not.toContain("1.0.0");
  });
});
