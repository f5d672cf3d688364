import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchBytes, fetchJson, startHarness, type ServerHarness } from "./harness.js";

let h: ServerHarness;

beforeAll(async () => {
  h = await startHarness("service-routes");
});

afterAll(async () => {
  await h.stop();
});

/** The value of one sample of the Prometheus text, 0 when the series does not exist yet. */
function sampleOf(metricsText: string, series: string): number {
  const line = metricsText.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

async function metricsText(): Promise<string> {
  const { status, body } = await fetchBytes(`${h.server.httpUrl}/metrics`);
  expect(status).toBe(200);
  return body.toString("utf8");
}

describe("/healthz", () => {
  it("answers 200 with status ok as JSON", async () => {
    const { status, contentType, body } = await fetchJson(`${h.server.httpUrl}/healthz`);
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    expect(body).toMatchObject({ status: "ok" });
  });
});

describe("/.well-known/terraform.json", () => {
  it("is application/json and names providers.v1 and modules.v1 with trailing slashes", async () => {
    const { status, contentType, body } = await fetchJson(`${h.server.httpUrl}/.well-known/terraform.json`);
    expect(status).toBe(200);
    expect(contentType).toBe("application/json");
    expect(body).toEqual({
      "providers.v1": expect.stringMatching(/\/$/) as unknown,
      "modules.v1": expect.stringMatching(/\/$/) as unknown,
    });
  });

  it("points providers.v1 at a base where NAMESPACE/TYPE/versions answers for a mirrored provider", async () => {
    const discoveryUrl = `${h.server.httpUrl}/.well-known/terraform.json`;
    const { body } = await fetchJson(discoveryUrl);
    const providersBase = (body as Record<string, string>)["providers.v1"] ?? "";
    const { status } = await fetchJson(
      new URL("fixture/alpha/versions", new URL(providersBase, discoveryUrl)),
    );
    expect(status).toBe(200);
  });
});

describe("/metrics", () => {
  it("is Prometheus text with the request counter and process metrics", async () => {
    const { headers, body } = await fetchBytes(`${h.server.httpUrl}/metrics`);
    expect(headers.get("content-type")).toMatch(/^text\/plain/);
    const text = body.toString("utf8");
    expect(text).toContain("# TYPE larder_http_requests_total counter");
    expect(text).toMatch(/^larder_process_cpu_user_seconds_total /m);
  });

  it("counts requests by protocol area and status", async () => {
    const ok = 'larder_http_requests_total{area="providers.v1",status="200"}';
    const missing = 'larder_http_requests_total{area="providers.v1",status="404"}';
    const mirror = 'larder_http_requests_total{area="network-mirror",status="200"}';
    const files = 'larder_http_requests_total{area="files",status="206"}';
    const before = await metricsText();
    const base = h.server.httpUrl;
    for (let i = 0; i < 3; i++)
      await fetchBytes(`${base}/v1/providers/registry.terraform.io/fixture/alpha/versions`);
    await fetchBytes(`${base}/v1/providers/registry.terraform.io/fixture/gamma/versions`);
    await fetchBytes(`${base}/v1/providers/registry.terraform.io/fixture/alpha/1.0.0/download/linux/amd64`);
    await fetchBytes(`${base}/providers/registry.terraform.io/fixture/alpha/index.json`);
    await fetchBytes(
      `${base}/files/providers/registry.terraform.io/fixture/alpha/1.1.0/terraform-provider-alpha_1.1.0_linux_amd64.zip`,
      {
        headers: { Range: "bytes=0-0" },
      },
    );
    await expect
      .poll(async () => {
        const after = await metricsText();
        return [ok, missing, mirror, files].map(
          (series) => sampleOf(after, series) - sampleOf(before, series),
        );
      })
      .toEqual([3, 2, 1, 1]);
  });

  it("labels by area, never by raw path", async () => {
    await fetchBytes(
      `${h.server.httpUrl}/v1/providers/registry.terraform.io/some/unique-name-${Date.now()}/versions`,
    );
    const text = await metricsText();
    expect(text).not.toContain("unique-name");
    expect(text).not.toContain("registry.terraform.io");
  });
});

describe("unknown routes", () => {
  it("answer 404 in the registry error shape", async () => {
    const { status, contentType, body } = await fetchJson(`${h.server.httpUrl}/nowhere/at/all`);
    expect(status).toBe(404);
    expect(contentType).toBe("application/json");
    expect(body).toMatchObject({ errors: [expect.any(String) as unknown] });
  });
});
