import { readFile } from "node:fs/promises";
import { get as httpsGet } from "node:https";
import { createServer, type AddressInfo, type Server } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder, startLarderServe, type ServeProcess } from "../../helpers/larder-cli.js";
import { expectOneLineFailure, TempDirs, upstreamArgs } from "./cli-support.js";

const dirs = new TempDirs("cli-serve");
const running: ServeProcess[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((serve) => serve.stop()));
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await dirs.removeAll();
});

async function serve(dataDir: string, ...args: string[]): Promise<ServeProcess> {
  const started = await startLarderServe([
    "--port",
    "0",
    "--https-port",
    "0",
    "--data-dir",
    dataDir,
    ...args,
  ]);
  running.push(started);
  return started;
}

/** GET over HTTPS trusting only `ca` (undefined: the default roots). */
function getTls(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ca, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on("error", reject);
  });
}

/** A TCP listener occupying a port on 127.0.0.1, closed after the test. */
async function occupyPort(): Promise<number> {
  const server = createServer();
  blockers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

describe("larder serve", () => {
  it("answers /healthz over HTTP, and over HTTPS with Larder's CA from the data dir", async () => {
    const dataDir = await dirs.make();
    const server = await serve(dataDir);
    const plain = await fetch(`${server.httpUrl}/healthz`, { headers: { connection: "close" } });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toMatchObject({ status: "ok" });

    const ca = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    const secure = await getTls(`${server.httpsUrl}/healthz`, ca);
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body)).toMatchObject({ status: "ok" });
    // Without Larder's CA the certificate is not trusted: the CA is what makes HTTPS work.
    await expect(getTls(`${server.httpsUrl}/healthz`, undefined)).rejects.toThrow(/certificate/i);
  });

  it("binds 127.0.0.1 by default: the printed URLs say so and other interfaces are not served", async () => {
    const server = await serve(await dirs.make());
    expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === "IPv4" && !address.internal)?.address;
    const port = new URL(server.httpUrl).port;
    // On a machine with no other interface there is nothing more to probe; loopback must answer either way.
    if (external !== undefined) await expect(fetch(`http://${external}:${port}/healthz`)).rejects.toThrow();
    expect(
      (await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: "close" } })).status,
    ).toBe(200);
  });

  it("SIGTERM: says it is stopping and exits 0 promptly, even after serving a request", async () => {
    const server = await serve(await dirs.make());
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    const began = Date.now();
    const result = await server.stop();
    expect(Date.now() - began).toBeLessThan(4000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Received SIGTERM; .*stopping/);
    await expect(fetch(`${server.httpUrl}/healthz`)).rejects.toThrow();
  });

  it("SIGINT (Ctrl-C) stops it the same way", async () => {
    const server = await serve(await dirs.make());
    const exited = new Promise<string>((resolve) =>
      server.child.once("exit", (code, signal) => {
        resolve(`${String(code)} ${String(signal)}`);
      }),
    );
    server.child.kill("SIGINT");
    expect(await exited).toBe("0 null");
  });

  it("an HTTP port already in use exits non-zero, naming the port", async () => {
    const port = await occupyPort();
    const result = await runLarder([
      "serve",
      "--port",
      String(port),
      "--https-port",
      "0",
      "--data-dir",
      await dirs.make(),
    ]);
    expectOneLineFailure(result, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });

  it("an HTTPS port already in use exits non-zero, naming the port, via LARDER_HTTPS_PORT", async () => {
    const port = await occupyPort();
    const result = await runLarder(["serve", "--port", "0", "--data-dir", await dirs.make()], {
      LARDER_HTTPS_PORT: String(port),
    });
    expectOneLineFailure(result, new RegExp(`Port ${port} .*already in use`));
  });

  it("an invalid --listen or --port exits non-zero with a one-line reason", async () => {
    const dataDir = await dirs.make();
    expectOneLineFailure(
      await runLarder(["serve", "--port", "http", "--data-dir", dataDir]),
      /Invalid port "http"/,
    );
    expectOneLineFailure(
      await runLarder(["serve", "--https-port", "0", "--data-dir", dataDir], { LARDER_PORT: "-1" }),
      /Invalid port "-1"/,
      /LARDER_PORT/,
    );
  });

  it("serves the CA that terraformrc printed before the first start", async () => {
    const dataDir = await dirs.make();
    const config = await runLarder(["terraformrc", "--mode", "network-mirror", "--data-dir", dataDir]);
    expect(config.code, config.stderr).toBe(0);
    const ca = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    const server = await serve(dataDir);
    expect((await getTls(`${server.httpsUrl}/healthz`, ca)).status).toBe(200);
  });

  it("serves what `mirror provider` stored, over the registry and network mirror protocols", async () => {
    const fixture = await startFixtureUpstream();
    const dataDir = await dirs.make();
    try {
      const mirrored = await runLarder([
        "mirror",
        "provider",
        "fixture/beta",
        "--version",
        "0.3.0",
        "--platform",
        "linux_amd64",
        "--data-dir",
        dataDir,
        ...upstreamArgs(fixture),
      ]);
      expect(mirrored.code, mirrored.stderr).toBe(0);
    } finally {
      await fixture.stop();
    }
    const server = await serve(dataDir);
    const versions = await fetch(
      `${server.httpUrl}/v1/providers/registry.terraform.io/fixture/beta/versions`,
      {
        headers: { connection: "close" },
      },
    );
    expect(versions.status).toBe(200);
    expect(await versions.json()).toMatchObject({
      versions: [{ version: "0.3.0", platforms: [{ os: "linux", arch: "amd64" }] }],
    });
    const ca = await readFile(join(dataDir, "tls", "ca.pem"), "utf8");
    const index = await getTls(
      `${server.httpsUrl}/providers/registry.terraform.io/fixture/beta/index.json`,
      ca,
    );
    expect(index.status).toBe(200);
    expect(JSON.parse(index.body)).toEqual({ versions: { "0.3.0": {} } });
  });
});
