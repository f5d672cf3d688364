import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UpstreamHttpClient } from "../../../main/upstream/http-client.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";

/** A minimal CONNECT proxy on loopback that records which targets it tunnelled to. */
async function startConnectProxy(): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket) => {
    const target = req.url ?? "";
    targets.push(target);
    const [host, port] = target.split(":");
    const upstream = connect(Number(port), host ?? "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe("upstream requests honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  let fixture: FixtureUpstream;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
    proxy = await startConnectProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await fixture.stop();
  });
  afterEach(() => {
    for (const key of ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"]) {
      if (saved[key] === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = saved[key];
    }
    proxy.targets.length = 0;
  });

  it("tunnels through the proxy named in HTTP_PROXY", async () => {
    process.env.HTTP_PROXY = proxy.url;
    Reflect.deleteProperty(process.env, "NO_PROXY");
    Reflect.deleteProperty(process.env, "no_proxy");
    const client = new UpstreamHttpClient({ userAgent: "test", retries: 0 });
    const answer = await client.getJson(`${fixture.url}/.well-known/terraform.json`, { what: "discovery" });
    expect(answer?.json).toMatchObject({ "providers.v1": "/v1/providers/" });
    expect(proxy.targets).toEqual([new URL(fixture.url).host]);
  });

  it("goes direct for hosts listed in NO_PROXY", async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = "127.0.0.1";
    const client = new UpstreamHttpClient({ userAgent: "test", retries: 0 });
    const answer = await client.getJson(`${fixture.url}/.well-known/terraform.json`, { what: "discovery" });
    expect(answer?.json).toMatchObject({ "providers.v1": "/v1/providers/" });
    expect(proxy.targets).toEqual([]);
  });

  it("sends Larder's User-Agent upstream", async () => {
    let seen: string | undefined;
    const server = createServer((req, res) => {
      seen = req.headers["user-agent"];
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const client = new UpstreamHttpClient({ userAgent: "Larder/9.9.9 (test)", retries: 0 });
      await client.getJson(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, {
        what: "a probe",
      });
      expect(seen).toBe("Larder/9.9.9 (test)");
    } finally {
      server.close();
    }
  });
});
