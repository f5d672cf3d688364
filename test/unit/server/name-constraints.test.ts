import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { spawnSync } from "node:child_process";
import { X509Certificate, createPrivateKey, webcrypto } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import tls from "node:tls";
import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { permittedSubtreesOf } from "../../../main/server/tls/name-constraints.js";
import { ensureTlsMaterial, rotateAuthority } from "../../../main/server/tls/local-certificate-authority.js";
import { parseTlsName } from "../../../main/server/tls/tls-names.js";
import {
  closeServer,
  handshake,
  hasOpenssl,
  leafOf,
  makeTlsDir,
  portOf,
  startServer,
} from "./tls-test-support.js";

x509.cryptoProvider.set(globalThis.crypto);
const KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

/** Issues a leaf for `dnsName` with the CA's own key, as someone holding a stolen ca-key.pem would. */
async function mintWithCaKey(tlsDir: string, dnsName: string): Promise<{ certPem: string; keyPem: string }> {
  const caPem = await readFile(path.join(tlsDir, "ca.pem"), "utf8");
  const ca = new x509.X509Certificate(caPem);
  const caKeyDer = createPrivateKey(await readFile(path.join(tlsDir, "ca-key.pem"), "utf8")).export({
    type: "pkcs8",
    format: "der",
  });
  const signingKey = await webcrypto.subtle.importKey("pkcs8", caKeyDer, KEY, false, ["sign"]);
  const keys = await webcrypto.subtle.generateKey(KEY, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "0badc0de",
    subject: `CN=${dnsName}`,
    issuer: ca.subject,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: dnsName }]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    certPem: `${cert.toString("pem")}\n${caPem}`,
    keyPem: x509.PemConverter.encode(keyDer, "PRIVATE KEY"),
  };
}

/** A CA as releases before issue 15 made them: no name constraints. */
async function writeUnconstrainedCa(tlsDir: string): Promise<void> {
  await ensureTlsMaterial(tlsDir); // creates the directory and a constrained CA, replaced below
  const keys = await webcrypto.subtle.generateKey(KEY, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=Larder Local CA (old release), O=Larder",
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  await writeFile(path.join(tlsDir, "ca-key.pem"), x509.PemConverter.encode(keyDer, "PRIVATE KEY"));
  await writeFile(path.join(tlsDir, "ca.pem"), `${cert.toString("pem")}\n`);
}

describe("the local CA's name constraints", () => {
  it("are critical and permit only localhost, 127.0.0.0/8 and ::1 by default", async () => {
    const material = await ensureTlsMaterial(await makeTlsDir());
    const ca = new x509.X509Certificate(material.caCertPem);
    expect(ca.getExtension("2.5.29.30")?.critical).toBe(true);
    expect(permittedSubtreesOf(ca)).toEqual([
      { type: "dns", value: "localhost" },
      { type: "ip", value: "127.0.0.0/8" },
      { type: "ip", value: "::1/128" },
    ]);
    expect(material.caNameConstrained).toBe(true);
  });

  it.skipIf(!hasOpenssl)("read the same to OpenSSL's own parser (skipped without openssl)", async () => {
    const material = await ensureTlsMaterial(await makeTlsDir(), {
      names: [parseTlsName("mirror.example.lan"), parseTlsName("192.168.1.20")],
    });
    const text = spawnSync("openssl", ["x509", "-noout", "-text", "-in", material.caCertPath], {
      encoding: "utf8",
    }).stdout;
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:/);
    const after = text.slice(text.indexOf("Permitted:")).split("\n").slice(1);
    const end = after.findIndex((line) => !/^\s*(DNS|IP):/.test(line));
    expect(after.slice(0, end).map((line) => line.trim())).toEqual([
      "DNS:localhost",
      "IP:127.0.0.0/255.0.0.0",
      "IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF",
      "DNS:mirror.example.lan",
      "IP:192.168.1.20/255.255.255.255",
    ]);
  });

  it("make a TLS client refuse a certificate the CA's key mints for any other host", async () => {
    const tlsDir = await makeTlsDir();
    const material = await ensureTlsMaterial(tlsDir);
    const forged = await mintWithCaKey(tlsDir, "bank.example");
    const server = await startServer({ ...material, ...forged }, "127.0.0.1");
    try {
      const attempt = handshake({
        host: "127.0.0.1",
        port: portOf(server),
        servername: "bank.example",
        ca: material.caCertPem,
      });
      // OpenSSL's verdict; Go's crypto/x509, which terraform and tofu use, enforces the constraints too.
      await expect(attempt).rejects.toThrow("permitted subtree violation");
    } finally {
      await closeServer(server);
    }
  });

  it("put every --tls-name in the leaf, which a client reaching the server by that name trusts", async () => {
    const names = [parseTlsName("Mirror.Example.LAN"), parseTlsName("10.1.2.3")];
    const material = await ensureTlsMaterial(await makeTlsDir(), { names });
    expect(leafOf(material).subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:mirror.example.lan, IP Address:10.1.2.3",
    );
    const server = await startServer(material, "127.0.0.1");
    try {
      const serial = await handshake({
        host: "127.0.0.1",
        port: portOf(server),
        servername: "mirror.example.lan",
        ca: material.caCertPem,
      });
      expect(serial).toBe(leafOf(material).serialNumber);
      const byIp = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect(
          {
            host: "127.0.0.1",
            port: portOf(server),
            ca: material.caCertPem,
            checkServerIdentity: (_host, cert) => tls.checkServerIdentity("10.1.2.3", cert),
          },
          () => {
            socket.end();
            resolve("ok");
          },
        );
        socket.once("error", reject);
      });
      expect(byIp).toBe("ok");
    } finally {
      await closeServer(server);
    }
  });

  it("refuse a --tls-name the existing CA does not permit, naming the rotate command", async () => {
    const tlsDir = await makeTlsDir();
    await ensureTlsMaterial(tlsDir);
    const attempt = ensureTlsMaterial(tlsDir, { names: [parseTlsName("new.example.lan")] });
    await expect(attempt).rejects.toBeInstanceOf(LarderError);
    await expect(attempt).rejects.toThrow(
      `larder tls rotate --tls-name new.example.lan --data-dir ${path.dirname(tlsDir)}`,
    );
  });

  it("rejects --tls-name values that are not a host name or an address", () => {
    for (const bad of ["", "*.example.lan", "https://mirror.lan", "mirror.lan:8443", "a..b", "has space"]) {
      expect(() => parseTlsName(bad), bad).toThrow(/Invalid --tls-name/);
    }
    expect(parseTlsName("[::1]")).toEqual({ type: "ip", value: "::1" });
  });
});

describe("rotateAuthority", () => {
  it("replaces a CA from an earlier release with a constrained one, keeping the old certificate but not its key", async () => {
    const tlsDir = await makeTlsDir();
    await writeUnconstrainedCa(tlsDir);
    const old = await ensureTlsMaterial(tlsDir);
    expect(old.caNameConstrained).toBe(false);
    const oldCa = new X509Certificate(old.caCertPem);

    const rotated = await rotateAuthority(tlsDir, { names: [parseTlsName("mirror.lan")] });

    expect(rotated.material.caNameConstrained).toBe(true);
    const newCa = new X509Certificate(rotated.material.caCertPem);
    expect(newCa.fingerprint256).not.toBe(oldCa.fingerprint256);
    expect(leafOf(rotated.material).checkIssued(newCa)).toBe(true);
    expect(leafOf(rotated.material).subjectAltName).toContain("DNS:mirror.lan");
    expect(rotated.replaced?.sha1).toBe(oldCa.fingerprint.replaceAll(":", ""));
    expect(await readFile(rotated.replaced?.certPath ?? "", "utf8")).toBe(old.caCertPem);
    const files = (await readdir(tlsDir)).sort();
    expect(files.filter((file) => file.endsWith("key.pem"))).toEqual(["ca-key.pem", "server-key.pem"]);
    const newKey = createPrivateKey(await readFile(path.join(tlsDir, "ca-key.pem"), "utf8"));
    expect(newCa.checkPrivateKey(newKey)).toBe(true);

    // The next start keeps the rotated CA.
    const again = await ensureTlsMaterial(tlsDir, { names: [parseTlsName("mirror.lan")] });
    expect(again.caCertPem).toBe(rotated.material.caCertPem);
  });

  it("creates a CA where there was none, replacing nothing", async () => {
    const rotated = await rotateAuthority(await makeTlsDir());
    expect(rotated.replaced).toBeUndefined();
    expect(rotated.material.caNameConstrained).toBe(true);
  });
});
