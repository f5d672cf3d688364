import { X509Certificate } from "node:crypto";
import https from "node:https";
import { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type ServerHarness } from "./harness.js";

/**
 * Issue 15: `larder serve` left running for months renews its HTTPS leaf before it expires, without a restart and
 * without dropping the connections it has open. The clock is injected so weeks pass in a test.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

let h: ServerHarness;
// Started 65 days in the past, so that every leaf it issues is valid on the real clock the client checks with.
let clock = new Date(Date.now() - 65 * DAY_MS);

beforeAll(async () => {
  h = await startHarness("leaf-renewal", {
    seed: false,
    https: true,
    server: { now: () => clock, leafCheckIntervalMs: 25 },
  });
});

afterAll(async () => {
  await h.stop();
});

interface Answer {
  readonly status: number;
  readonly serial: string;
  readonly localPort: number;
}

/** One GET over `agent`, with the certificate the connection it used was set up with. */
function get(agent: https.Agent | false, ca: string): Promise<Answer> {
  const url = new URL(`${h.server.httpsUrl ?? ""}/.well-known/terraform.json`);
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: url.hostname, port: url.port, path: url.pathname, servername: "localhost", ca, agent },
      (response) => {
        const socket = response.socket;
        if (!(socket instanceof TLSSocket)) throw new Error("not a TLS connection");
        response.resume();
        response.on("end", () => {
          resolve({
            status: response.statusCode ?? 0,
            serial: socket.getPeerCertificate().serialNumber,
            localPort: socket.localPort ?? 0,
          });
        });
      },
    );
    request.on("error", reject);
  });
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("timed out waiting for the renewed certificate");
}

describe("HTTPS leaf renewal while serving", () => {
  it("keeps the leaf while it has more than 30 days, then swaps in a new one; open connections keep working", async () => {
    const ca = h.server.tls?.caCertPem ?? "";
    const first = h.server.tls;
    if (!first) throw new Error("no TLS material");
    const firstSerial = new X509Certificate(first.certPem).serialNumber;
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(agent, ca);
      expect(before.status).toBe(200);
      expect(before.serial).toBe(firstSerial);

      // 50 days on, 40 remain: nothing to do yet.
      clock = new Date(Date.now() - 15 * DAY_MS);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await get(false, ca)).serial).toBe(firstSerial);

      // 65 days on, 25 remain: the next check renews it.
      clock = new Date();
      await waitFor(async () => (await get(false, ca)).serial !== firstSerial);
      const renewed = h.server.tls;
      if (!renewed) throw new Error("no TLS material");
      expect(renewed.leafNotAfter.getTime()).toBeGreaterThan(first.leafNotAfter.getTime());
      expect(renewed.leafNotAfter.getTime()).toBeGreaterThan(clock.getTime() + 80 * DAY_MS);
      expect(renewed.caCertPem).toBe(first.caCertPem);
      const fresh = await get(false, ca);
      expect(fresh.serial).toBe(new X509Certificate(renewed.certPem).serialNumber);

      // The keep-alive connection opened before the swap is the same socket, still served, with its old leaf.
      const after = await get(agent, ca);
      expect(after.status).toBe(200);
      expect(after.localPort).toBe(before.localPort);
      expect(after.serial).toBe(firstSerial);
    } finally {
      agent.destroy();
    }
  });
});
