// `checkUpstream` against hand-made registries on loopback, for the answers the fixture never gives: an API that
// refuses the token while discovery is open, a server error, a host that is not a registry, a relative service URL.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const HOST = "registry.example.com";
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A registry that answers with `handler`, and a Larder that reaches HOST there with `token`. */
async function larderAgainst(handler: Handler, token?: string): Promise<{ larder: Larder; seen: string[] }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.url ?? ""} ${req.headers.authorization ?? "-"}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const temp: TempDir = await makeTempDir("upstream-check");
  cleanups.push(() => temp.remove());
  const larder = await openTerraformLarder({ dataDir: temp.path, http: { retries: 0 } });
  cleanups.push(() => {
    larder.close();
    return Promise.resolve();
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await larder.setUpstream({ host: HOST, url, ...(token === undefined ? {} : { token }) });
  return { larder, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const discoveryThen =
  (
    api: Handler,
    services: Record<string, string> = { "providers.v1": "/v1/providers/", "modules.v1": "/v1/modules/" },
  ): Handler =>
  (req, res) => {
    if (req.url === "/.well-known/terraform.json") json(res, 200, services);
    else api(req, res);
  };

describe("checkUpstream", () => {
  it("passes a registry whose APIs answer 404 for the test name, sending the token to each", async () => {
    const { larder, seen } = await larderAgainst(
      discoveryThen((_req, res) => {
        json(res, 404, { errors: ["Not Found"] });
      }),
      "tok-1",
    );
    const check = await larder.checkUpstream(HOST);
    expect(check).toMatchObject({ host: HOST, hasToken: true, ok: true });
    expect(check.steps.map((step) => [step.name, step.ok])).toEqual([
      ["discovery", true],
      ["providers.v1", true],
      ["modules.v1", true],
    ]);
    expect(seen).toEqual([
      "/.well-known/terraform.json Bearer tok-1",
      "/v1/providers/larder-connection-test/probe/versions Bearer tok-1",
      "/v1/modules/larder-connection-test/probe/probe/versions Bearer tok-1",
    ]);
  });

  it("names a refused token per API and says how to set a valid one", async () => {
    const { larder } = await larderAgainst(
      discoveryThen((req, res) => {
        json(res, req.url?.startsWith("/v1/providers/") ? 403 : 404, {});
      }),
      "wrong",
    );
    const check = await larder.checkUpstream(HOST);
    expect(check.ok).toBe(false);
    const providers = check.steps.find((step) => step.name === "providers.v1");
    expect(providers?.ok).toBe(false);
    expect(providers?.detail).toBe(
      `rejected the token (HTTP 403); set a valid one with: larder upstream add ${HOST} --token-stdin`,
    );
    expect(check.steps.find((step) => step.name === "modules.v1")?.ok).toBe(true);
  });

  it("says a token is required when there is none, and reports a server error with its URL", async () => {
    const { larder } = await larderAgainst(
      discoveryThen((req, res) => {
        json(res, req.url?.startsWith("/v1/providers/") ? 401 : 502, {});
      }),
    );
    const check = await larder.checkUpstream(HOST);
    expect(check.hasToken).toBe(false);
    expect(check.steps[1]?.detail).toMatch(
      /^requires a token \(HTTP 401\); give one with: larder upstream add/,
    );
    expect(check.steps[2]?.detail).toMatch(
      /^answered HTTP 502 at http:\/\/127\.0\.0\.1:\d+\/v1\/modules\/larder-connection-test\//,
    );
  });

  it("fails a host that is not a registry, without probing anything", async () => {
    const { larder, seen } = await larderAgainst((_req, res) => res.writeHead(404).end());
    const check = await larder.checkUpstream(HOST);
    expect(check.ok).toBe(false);
    expect(check.steps).toHaveLength(1);
    expect(check.steps[0]?.detail).toMatch(
      /offers neither providers\.v1 nor modules\.v1: this is not a Terraform registry/,
    );
    expect(seen).toHaveLength(1);
  });

  it("probes only the API that discovery offers, at the URL it resolves to", async () => {
    const { larder, seen } = await larderAgainst(
      discoveryThen(
        (_req, res) => {
          json(res, 200, { versions: [] });
        },
        {
          "modules.v1": "/api/registry/v1/modules/",
        },
      ),
    );
    const check = await larder.checkUpstream(HOST);
    expect(check.ok).toBe(true);
    expect(check.steps.map((step) => step.name)).toEqual(["discovery", "modules.v1"]);
    expect(check.steps[0]?.detail).toBe("offers modules.v1");
    expect(seen[1]).toMatch(/^\/api\/registry\/v1\/modules\/larder-connection-test\/probe\/probe\/versions /);
  });

  it("re-discovers on every test, so a fixed registry passes without a restart", async () => {
    let up = false;
    const { larder } = await larderAgainst((req, res) => {
      if (!up) json(res, 500, {});
      else
        discoveryThen((_r, answer) => {
          json(answer, 404, {});
        })(req, res);
    });
    expect((await larder.checkUpstream(HOST)).ok).toBe(false);
    up = true;
    expect((await larder.checkUpstream(HOST)).ok).toBe(true);
  });
});
