// Shared by the TLS tests: temp dirs, a real HTTPS server over Larder's material, and raw TLS clients.
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll } from "vitest";
import type { TlsMaterial } from "../../../main/server/tls/local-certificate-authority.js";

export const DAY_MS = 24 * 60 * 60 * 1000;

export const hasIpv6Loopback = Object.values(os.networkInterfaces()).some((addresses) =>
  (addresses ?? []).some((address) => address.address === "::1"),
);
export const hasOpenssl = spawnSync("openssl", ["version"], { encoding: "utf8" }).status === 0;
export const isWindows = process.platform === "win32";

export const tempDirs: string[] = [];

export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "larder-tls-"));
  tempDirs.push(dir);
  return dir;
}

/** A fresh tls directory inside a temp dir, so ensureTlsMaterial has to create the directory itself. */
export async function makeTlsDir(): Promise<string> {
  return path.join(await makeTempDir(), "tls");
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

export function leafOf(material: TlsMaterial): X509Certificate {
  return new X509Certificate(material.certPem);
}

export function startServer(material: TlsMaterial, host: string): Promise<https.Server> {
  const server = https.createServer(
    { cert: material.certPem, key: material.keyPem },
    (_request, response) => {
      response.end("hello from larder");
    },
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      resolve(server);
    });
  });
}

export function portOf(server: https.Server): number {
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: https.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
}

/** Completes a TLS handshake with Node's default identity check and resolves with the peer certificate's serial. */
export function handshake(options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options, () => {
      const serial = socket.getPeerCertificate().serialNumber;
      socket.end();
      resolve(serial);
    });
    socket.once("error", reject);
  });
}

export function httpsGet(options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get({ ...options, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        resolve(body);
      });
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
