import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../store/durable-file.js";

/**
 * The files Go's crypto/x509 tries on Linux, in its order (src/crypto/x509/root_linux.go). SSL_CERT_FILE replaces
 * this list rather than adding to it, so the bundle must carry the system roots too or public hosts stop verifying.
 */
export const LINUX_SYSTEM_BUNDLE_PATHS: readonly string[] = [
  "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Gentoo
  "/etc/pki/tls/certs/ca-bundle.crt", // Fedora, RHEL 6
  "/etc/ssl/ca-bundle.pem", // OpenSUSE
  "/etc/pki/tls/cacert.pem", // OpenELEC
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
  "/etc/ssl/cert.pem", // Alpine
];

/** Writes <tlsDir>/ca-bundle.pem: the first readable system root bundle followed by Larder's CA; returns its path. */
export async function writeTrustBundle(
  tlsDir: string,
  caCertPem: string,
  systemBundleCandidates: readonly string[] = LINUX_SYSTEM_BUNDLE_PATHS,
): Promise<string> {
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  const systemBundle = await readFirstReadable(systemBundleCandidates);
  const parts: string[] = [];
  if (systemBundle !== undefined && systemBundle.trim() !== "")
    parts.push(withTrailingNewline(systemBundle), "\n");
  // PEM parsers (Go's included) skip text between blocks, so the label is safe and tells people what was appended.
  parts.push("# Larder Local CA\n", withTrailingNewline(caCertPem));
  const bundlePath = path.join(tlsDir, "ca-bundle.pem");
  // Public roots and a public certificate: readable by everyone, like the system bundle it copies.
  await writeFileAtomic(bundlePath, parts.join(""), 0o644);
  return bundlePath;
}

/** Go stops at the first file it can read, whatever it contains, so this does too. */
async function readFirstReadable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    try {
      return await readFile(candidate, "utf8");
    } catch {
      // Missing, unreadable or a directory: Go moves on to the next candidate, and so do we.
    }
  }
  return undefined;
}

function withTrailingNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
