import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureTlsMaterial, writeTrustBundle } from "../../../main/server/tls/local-certificate-authority.js";
import {
  closeServer,
  httpsGet,
  makeTempDir,
  makeTlsDir,
  pemCertificates,
  portOf,
  startServer,
} from "./tls-test-support.js";

describe("writeTrustBundle", () => {
  it("writes the first readable system bundle followed by the CA", async () => {
    const dir = await makeTempDir();
    const tlsDir = path.join(dir, "tls");
    const material = await ensureTlsMaterial(tlsDir);
    // Stand-in system bundles: two other CAs, so "first certificate" is meaningful.
    const systemA = await ensureTlsMaterial(path.join(dir, "system-a"));
    const systemB = await ensureTlsMaterial(path.join(dir, "system-b"));
    const systemBundlePath = path.join(dir, "system-bundle.crt");
    await writeFile(systemBundlePath, `# system roots\n${systemA.caCertPem}${systemB.caCertPem}`);
    const laterBundlePath = path.join(dir, "later-bundle.crt");
    await writeFile(laterBundlePath, "should not be used\n");

    const bundlePath = await writeTrustBundle(tlsDir, material.caCertPem, [
      path.join(dir, "missing.crt"),
      dir, // a directory is unreadable as a file, as in Go's search
      systemBundlePath,
      laterBundlePath,
    ]);

    expect(bundlePath).toBe(path.join(tlsDir, "ca-bundle.pem"));
    const bundle = await readFile(bundlePath, "utf8");
    expect(bundle.startsWith(`# system roots\n${systemA.caCertPem}`)).toBe(true);
    expect(bundle).not.toContain("should not be used");
    expect(pemCertificates(bundle)).toEqual([
      ...pemCertificates(systemA.caCertPem),
      ...pemCertificates(systemB.caCertPem),
      ...pemCertificates(material.caCertPem),
    ]);
  });

  it("holds only the CA when no system bundle exists, and works as a client's CA file", async () => {
    const dir = await makeTempDir();
    const tlsDir = path.join(dir, "tls");
    const material = await ensureTlsMaterial(tlsDir);
    const bundlePath = await writeTrustBundle(tlsDir, material.caCertPem, [path.join(dir, "none.crt")]);
    const bundle = await readFile(bundlePath, "utf8");
    expect(pemCertificates(bundle)).toEqual(pemCertificates(material.caCertPem));

    const server = await startServer(material, "127.0.0.1");
    try {
      const body = await httpsGet({
        host: "127.0.0.1",
        port: portOf(server),
        servername: "localhost",
        ca: bundle,
      });
      expect(body).toBe("hello from larder");
    } finally {
      await closeServer(server);
    }
  });

  it("ends with the CA when using this machine's default system bundle paths", async () => {
    const tlsDir = await makeTlsDir();
    const material = await ensureTlsMaterial(tlsDir);
    const bundle = await readFile(await writeTrustBundle(tlsDir, material.caCertPem), "utf8");
    expect(pemCertificates(bundle).at(-1)).toBe(pemCertificates(material.caCertPem)[0]);
  });
});
