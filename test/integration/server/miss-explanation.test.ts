import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startHarness, type ServerHarness } from "./harness.js";

/** Issue 15: misses name the command that would mirror them, where terraform and tofu show it. */
const TF = "registry.terraform.io";
const PROVIDER = `/v1/providers/${TF}/acme/nothing/versions`;
const MODULE = `/v1/modules/${TF}/acme/nothing/aws/versions`;
const TOFU = { "User-Agent": "OpenTofu/1.6.2 (+https://opentofu.org)" };
const TERRAFORM = { "User-Agent": "Terraform/1.9.8 (+https://www.terraform.io)" };

describe("misses explained", () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await startHarness("miss-explanation", { seed: false });
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each([
    ["provider", PROVIDER, `larder mirror provider ${TF}/acme/nothing --data-dir `],
    ["module", MODULE, `larder mirror module ${TF}/acme/nothing/aws --data-dir `],
  ])(
    "tells terraform and tofu what to run for a %s, in the status line they print",
    async (_, path, command) => {
      for (const headers of [TOFU, TERRAFORM]) {
        const answer = await rawRequest(h.server.httpUrl, path, { headers });
        expect(answer.status).toBe(410);
        const body = JSON.parse(answer.body.toString("utf8")) as { errors: string[] };
        expect(body.errors[0]).toBe(`Not mirrored by Larder; to mirror it run: ${command}${h.dataDir}`);
        expect(answer.headers["cache-control"]).toBe("no-store");
      }
      const status = await statusLineOf(h.server.httpUrl, path, TOFU["User-Agent"]);
      expect(status).toBe(`HTTP/1.1 410 Not mirrored by Larder; to mirror it run: ${command}${h.dataDir}`);
    },
  );

  it.each([
    ["provider", PROVIDER],
    ["module", MODULE],
  ])("keeps the plain 404 for any other client of a %s, with the words in the body", async (_, path) => {
    const clients: Record<string, string>[] = [
      {},
      { "User-Agent": "curl/8.0" },
      { "User-Agent": "Renovate/38" },
    ];
    for (const headers of clients) {
      const answer = await rawRequest(h.server.httpUrl, path, { headers });
      expect(answer.status).toBe(404);
      expect(answer.body.toString("utf8")).toContain(
        "Not mirrored by Larder; to mirror it run: larder mirror",
      );
    }
  });

  it("keeps the bare 404 for a network mirror miss: it sends terraform on to its next installation method", async () => {
    const answer = await rawRequest(h.server.httpUrl, `/providers/${TF}/acme/nothing/index.json`, {
      headers: TERRAFORM,
    });
    expect(answer.status).toBe(404);
  });
});

describe("--plain-misses", () => {
  let h: ServerHarness;
  beforeAll(async () => {
    h = await startHarness("plain-misses", { seed: false, server: { explainMisses: false } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it("answers terraform and tofu with the bare 404 too", async () => {
    for (const path of [PROVIDER, MODULE]) {
      for (const headers of [TOFU, TERRAFORM]) {
        expect((await rawRequest(h.server.httpUrl, path, { headers })).status).toBe(404);
      }
    }
  });
});

/** The raw status line, which fetch and Node's parsed answer do not show whole. */
async function statusLineOf(baseUrl: string, path: string, userAgent: string): Promise<string> {
  const { connect } = await import("node:net");
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: ${userAgent}\r\nConnection: close\r\n\r\n`,
      );
    });
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("end", () => {
      resolve(text.split("\r\n")[0] ?? "");
    });
    socket.on("error", reject);
  });
}
