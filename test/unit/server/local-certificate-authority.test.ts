import { spawnSync } from "node:child_process";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { ensureTlsMaterial } from "../../../main/server/tls/local-certificate-authority.js";
import type { TlsMaterial } from "../../../main/server/tls/local-certificate-authority.js";
import {
  DAY_MS,
  closeServer,
  handshake,
  hasIpv6Loopback,
  hasOpenssl,
  httpsGet,
  isWindows,
  leafOf,
  makeTlsDir,
  pemCertificates,
  portOf,
  startServer,
} from "./tls-test-support.js";

describe("ensureTlsMaterial over real HTTPS connections", () => {
  let material: TlsMaterial;
  let server: https.Server;
  let port: number;

  beforeAll(async () => {
    material = await ensureTlsMaterial(await makeTlsDir());
    server = await startServer(material, "127.0.0.1");
    port = portOf(server);
  });

  afterAll(async () => {
    await closeServer(server);
  });

  it("is trusted for servername localhost with only the CA", async () => {
    const body = await httpsGet({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: material.caCertPem,
      path: "/",
    });
    expect(body).toBe("hello from larder");
    const serial = await handshake({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: material.caCertPem,
    });
    expect(serial).toBe(leafOf(material).serialNumber);
  });

  it("is trusted when connecting to 127.0.0.1 by IP", async () => {
    const body = await httpsGet({ host: "127.0.0.1", port, ca: material.caCertPem, path: "/" });
    expect(body).toBe("hello from larder");
  });

  it.skipIf(!hasIpv6Loopback)(
    "is trusted when connecting to ::1 by IP (skipped if this machine has no IPv6 loopback)",
    async () => {
      const v6Server = await startServer(material, "::1");
      try {
        const body = await httpsGet({
          host: "::1",
          port: portOf(v6Server),
          ca: material.caCertPem,
          path: "/",
        });
        expect(body).toBe("hello from larder");
      } finally {
        await closeServer(v6Server);
      }
    },
  );

  it("fails verification without the CA", async () => {
    // No ca option: Node's bundled public roots only, like a client that was never told to trust Larder.
    await expect(handshake({ host: "127.0.0.1", port, servername: "localhost" })).rejects.toMatchObject({
      code: expect.stringMatching(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/) as unknown,
    });
  });

  it("fails verification with a different Larder CA", async () => {
    const other = await ensureTlsMaterial(await makeTlsDir());
    await expect(
      handshake({ host: "127.0.0.1", port, servername: "localhost", ca: other.caCertPem }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/CERT/) as unknown });
  });

  it("fails verification for a name the certificate does not cover", async () => {
    await expect(
      handshake({ host: "127.0.0.1", port, servername: "registry.example.com", ca: material.caCertPem }),
    ).rejects.toMatchObject({ code: "ERR_TLS_CERT_ALTNAME_INVALID" });
  });
});

describe("ensureTlsMaterial certificates", () => {
  it("creates a P-256 CA and a leaf with the SANs, usages and lifetimes Go needs", async () => {
    const now = new Date("2030-01-15T12:00:00Z");
    const material = await ensureTlsMaterial(await makeTlsDir(), { now });
    const ca = new X509Certificate(material.caCertPem);
    const leaf = leafOf(material);

    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe(`CN=Larder Local CA (${os.hostname()})\nO=Larder`);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(ca.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(ca.serialNumber).not.toMatch(/^00/);
    expect(new Date(ca.validFrom).getTime()).toBe(now.getTime() - 60 * 60 * 1000);
    expect(new Date(ca.validTo).getUTCFullYear()).toBe(2040);
    expect(ca.verify(ca.publicKey)).toBe(true);

    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe("CN=localhost\nO=Larder");
    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(leaf.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]); // Node reports the extended key usage here: serverAuth
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(material.leafNotAfter.getTime()).toBe(now.getTime() + 90 * DAY_MS);
    expect(new Date(leaf.validTo).getTime()).toBe(material.leafNotAfter.getTime());

    // certPem is the chain: leaf first, then the CA.
    expect(pemCertificates(material.certPem)).toEqual([
      ...pemCertificates(leaf.toString()),
      ...pemCertificates(material.caCertPem),
    ]);
    expect(material.keyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(leaf.checkPrivateKey(createPrivateKey(material.keyPem))).toBe(true);
  });

  it.skipIf(!hasOpenssl)(
    "passes openssl verify -x509_strict for localhost, 127.0.0.1 and ::1 (skipped without openssl)",
    async () => {
      const tlsDir = await makeTlsDir();
      const material = await ensureTlsMaterial(tlsDir);
      const serverPath = path.join(tlsDir, "server.pem");
      for (const check of [
        ["-verify_hostname", "localhost"],
        ["-verify_ip", "127.0.0.1"],
        ["-verify_ip", "::1"],
      ]) {
        const result = spawnSync(
          "openssl",
          [
            "verify",
            "-x509_strict",
            "-purpose",
            "sslserver",
            ...check,
            "-CAfile",
            material.caCertPath,
            serverPath,
          ],
          { encoding: "utf8" },
        );
        expect(result.stderr).toBe("");
        expect(result.stdout.trim()).toBe(`${serverPath}: OK`);
      }
    },
  );

  it("returns the same CA and the same leaf on the next start", async () => {
    const tlsDir = await makeTlsDir();
    const first = await ensureTlsMaterial(tlsDir);
    const second = await ensureTlsMaterial(tlsDir);
    expect(second).toEqual(first);
    expect(second.caCertPath).toBe(path.join(tlsDir, "ca.pem"));
    expect(await readFile(second.caCertPath, "utf8")).toBe(first.caCertPem);
  });

  it("keeps the leaf while more than 30 days remain and renews it with the same CA when fewer do", async () => {
    const tlsDir = await makeTlsDir();
    const start = new Date("2030-03-01T00:00:00Z");
    const first = await ensureTlsMaterial(tlsDir, { now: start });

    const day50 = await ensureTlsMaterial(tlsDir, { now: new Date(start.getTime() + 50 * DAY_MS) });
    expect(leafOf(day50).serialNumber).toBe(leafOf(first).serialNumber);

    const day80Now = new Date(start.getTime() + 80 * DAY_MS);
    const day80 = await ensureTlsMaterial(tlsDir, { now: day80Now });
    expect(day80.caCertPem).toBe(first.caCertPem);
    expect(leafOf(day80).serialNumber).not.toBe(leafOf(first).serialNumber);
    expect(day80.keyPem).not.toBe(first.keyPem);
    expect(day80.leafNotAfter.getTime()).toBe(day80Now.getTime() + 90 * DAY_MS);
    expect(leafOf(day80).verify(new X509Certificate(first.caCertPem).publicKey)).toBe(true);

    // The renewed leaf was saved, so the start after that keeps it.
    const again = await ensureTlsMaterial(tlsDir, { now: new Date(day80Now.getTime() + DAY_MS) });
    expect(again.certPem).toBe(day80.certPem);
  });

  it("re-issues a leaf that is missing, garbage, or signed by another CA, keeping the CA", async () => {
    const tlsDir = await makeTlsDir();
    const original = await ensureTlsMaterial(tlsDir);
    const ca = new X509Certificate(original.caCertPem);

    await rm(path.join(tlsDir, "server.pem"));
    const afterMissing = await ensureTlsMaterial(tlsDir);
    expect(afterMissing.caCertPem).toBe(original.caCertPem);
    expect(leafOf(afterMissing).serialNumber).not.toBe(leafOf(original).serialNumber);

    await writeFile(path.join(tlsDir, "server.pem"), "not a certificate\n");
    const afterGarbage = await ensureTlsMaterial(tlsDir);
    expect(leafOf(afterGarbage).verify(ca.publicKey)).toBe(true);
    expect(leafOf(afterGarbage).serialNumber).not.toBe(leafOf(afterMissing).serialNumber);

    // A leaf (with its matching key) from someone else's CA.
    const foreignDir = await makeTlsDir();
    await ensureTlsMaterial(foreignDir);
    for (const file of ["server.pem", "server-key.pem"]) {
      await writeFile(path.join(tlsDir, file), await readFile(path.join(foreignDir, file)));
    }
    const afterForeign = await ensureTlsMaterial(tlsDir);
    expect(afterForeign.caCertPem).toBe(original.caCertPem);
    expect(leafOf(afterForeign).verify(ca.publicKey)).toBe(true);

    // A key that does not belong to the certificate (as after a crash between the two writes).
    const foreignKey = await readFile(path.join(foreignDir, "server-key.pem"), "utf8");
    await writeFile(path.join(tlsDir, "server-key.pem"), foreignKey);
    const afterMismatch = await ensureTlsMaterial(tlsDir);
    expect(afterMismatch.keyPem).not.toBe(foreignKey);
    expect(leafOf(afterMismatch).serialNumber).not.toBe(leafOf(afterForeign).serialNumber);
  });

  it("refuses a corrupt ca.pem with a LarderError that names the file, and leaves it in place", async () => {
    const tlsDir = await makeTlsDir();
    await ensureTlsMaterial(tlsDir);
    const caPath = path.join(tlsDir, "ca.pem");
    await writeFile(caPath, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

    const error: unknown = await ensureTlsMaterial(tlsDir).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(LarderError);
    expect(error).toMatchObject({ code: "storage_failed" });
    expect((error as LarderError).message).toContain(caPath);
    expect((error as LarderError).message).toContain(`delete the directory ${tlsDir}`);
    expect(await readFile(caPath, "utf8")).toContain("bm90IGEgY2VydA==");
  });

  it("refuses a ca.pem whose ca-key.pem is missing or belongs to another CA", async () => {
    const tlsDir = await makeTlsDir();
    await ensureTlsMaterial(tlsDir);
    const keyPath = path.join(tlsDir, "ca-key.pem");
    const otherDir = await makeTlsDir();
    await ensureTlsMaterial(otherDir);

    await writeFile(keyPath, await readFile(path.join(otherDir, "ca-key.pem")));
    await expect(ensureTlsMaterial(tlsDir)).rejects.toMatchObject({
      name: "LarderError",
      code: "storage_failed",
      message: expect.stringContaining(keyPath) as unknown,
    });

    await rm(keyPath);
    await expect(ensureTlsMaterial(tlsDir)).rejects.toMatchObject({
      code: "storage_failed",
      message: expect.stringContaining(keyPath) as unknown,
    });
  });

  it.skipIf(isWindows)(
    "writes private keys 0600 and the directory 0700 (skipped on Windows: no POSIX modes)",
    async () => {
      const tlsDir = await makeTlsDir();
      await ensureTlsMaterial(tlsDir);
      const mode = async (file: string): Promise<number> =>
        (await stat(path.join(tlsDir, file))).mode & 0o777;
      expect((await stat(tlsDir)).mode & 0o777).toBe(0o700);
      expect(await mode("ca-key.pem")).toBe(0o600);
      expect(await mode("server-key.pem")).toBe(0o600);
      // Certificates are public, but nobody else may replace them.
      expect((await mode("ca.pem")) & 0o022).toBe(0);
      expect((await mode("server.pem")) & 0o022).toBe(0);
      // Renewal replaces the key and must keep it private.
      await ensureTlsMaterial(tlsDir, { now: new Date(Date.now() + 80 * DAY_MS) });
      expect(await mode("server-key.pem")).toBe(0o600);
    },
  );

  it("leaves no temp files behind", async () => {
    const tlsDir = await makeTlsDir();
    await ensureTlsMaterial(tlsDir);
    await ensureTlsMaterial(tlsDir, { now: new Date(Date.now() + 80 * DAY_MS) });
    expect((await readdir(tlsDir)).sort()).toEqual(["ca-key.pem", "ca.pem", "server-key.pem", "server.pem"]);
  });
});
