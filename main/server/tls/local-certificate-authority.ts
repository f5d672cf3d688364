/**
 * Larder's local certificate authority. terraform/tofu (Go's crypto/x509) only talk to registries over HTTPS, so the
 * loopback listener needs a certificate they trust. Users trust one long-lived CA (ca.pem) once; the server
 * certificate it signs is short-lived and renewed silently (at start and while serving, see leaf-renewal.ts), which
 * never asks the user to trust anything new. The CA is name-constrained to loopback and the `--tls-name` names.
 */
import "reflect-metadata"; // tsyringe, used by @peculiar/x509, needs the Reflect metadata API at load time
import * as x509 from "@peculiar/x509";
import {
  X509Certificate as NodeX509Certificate,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  webcrypto,
} from "node:crypto";
import type { KeyObject } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LarderError, errorMessage } from "../../core/errors.js";
import { writeFileAtomic } from "../../store/durable-file.js";
import { nameConstraintsExtension, permittedSubtreesOf } from "./name-constraints.js";
import {
  LOOPBACK_NAMES,
  LOOPBACK_SUBTREES,
  isPermitted,
  leafNames,
  subtreeOf,
  type TlsName,
} from "./tls-names.js";

export { LINUX_SYSTEM_BUNDLE_PATHS, writeTrustBundle } from "./trust-bundle.js";

// Node 20 exposes WebCrypto as globalThis.crypto; @peculiar/x509 needs it as its provider.
x509.cryptoProvider.set(globalThis.crypto);

/** The certificates and key the HTTPS listener needs, and where the CA users must trust lives. */
export interface TlsMaterial {
  readonly caCertPath: string;
  readonly caCertPem: string;
  /** Leaf then CA, so clients that only have the CA still get a complete chain. */
  readonly certPem: string;
  /** Leaf private key, PKCS#8 PEM. */
  readonly keyPem: string;
  readonly leafNotAfter: Date;
  /** The names the leaf answers to: loopback and every `--tls-name`. */
  readonly names: readonly TlsName[];
  /** False for a CA made before issue 15, which may vouch for any host: `larder tls rotate` replaces it. */
  readonly caNameConstrained: boolean;
}

/** What ensureTlsMaterial is asked for. */
export interface TlsOptions {
  readonly now?: Date;
  /** Names besides loopback the certificate must answer to (`--tls-name`). */
  readonly names?: readonly TlsName[];
}

const CA_CERT_FILE = "ca.pem";
const CA_KEY_FILE = "ca-key.pem";
const LEAF_CERT_FILE = "server.pem";
const LEAF_KEY_FILE = "server-key.pem";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Certificates start an hour in the past so a client whose clock runs a little behind still accepts them. */
const CLOCK_SKEW_MS = HOUR_MS;
const CA_VALIDITY_YEARS = 10;
const LEAF_VALIDITY_MS = 90 * DAY_MS;
/** Renewing well before expiry means a Larder left running for weeks never serves an expired certificate. */
const LEAF_RENEW_BEFORE_MS = 30 * DAY_MS;

const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING_ALGORITHM = { name: "ECDSA", hash: "SHA-256" } as const;

interface Authority {
  readonly cert: x509.X509Certificate;
  readonly pem: string;
  readonly signingKey: webcrypto.CryptoKey;
  /** Its permitted subtrees; undefined when it has no name constraints (an earlier release's CA). */
  readonly permitted: readonly TlsName[] | undefined;
}

interface Leaf {
  readonly pem: string;
  readonly keyPem: string;
  readonly notAfter: Date;
}

/** Loads the local CA and server certificate from tlsDir, creating or renewing them as needed. */
export async function ensureTlsMaterial(tlsDir: string, options: TlsOptions = {}): Promise<TlsMaterial> {
  const now = options.now ?? new Date();
  const names = leafNames(options.names ?? []);
  await prepareTlsDir(tlsDir);
  const authority = await loadOrCreateAuthority(tlsDir, now, names);
  const unpermitted =
    authority.permitted && names.filter((name) => !isPermitted(name, authority.permitted ?? []));
  if (unpermitted && unpermitted.length > 0) {
    const list = unpermitted.map((name) => name.value).join(", ");
    const flags = names
      .slice(LOOPBACK_NAMES.length)
      .map((name) => ` --tls-name ${name.value}`)
      .join("");
    throw new LarderError(
      "invalid_input",
      `Larder's local CA (${path.join(tlsDir, CA_CERT_FILE)}) may only vouch for the names it was made with, and ${list} ` +
        `is not one of them. Make a new CA that permits it with: larder tls rotate${flags} --data-dir ${path.dirname(tlsDir)} ` +
        "(it prints how to trust the new CA in place of the old one).",
    );
  }
  const leaf =
    (await loadReusableLeaf(tlsDir, authority, now, names)) ??
    (await issueLeaf(tlsDir, authority, now, names));
  return {
    caCertPath: path.join(tlsDir, CA_CERT_FILE),
    caCertPem: authority.pem,
    certPem: leaf.pem + authority.pem,
    keyPem: leaf.keyPem,
    leafNotAfter: leaf.notAfter,
    names,
    caNameConstrained: authority.permitted !== undefined,
  };
}

/** What `larder tls rotate` did: the CA it replaced (kept as a certificate only) and the new material. */
export interface RotatedAuthority {
  /** The old CA certificate, kept so it can be found and removed from trust stores; its key is deleted. */
  readonly replaced:
    { readonly certPath: string; readonly sha1: string; readonly serial: string } | undefined;
  readonly material: TlsMaterial;
}

/**
 * Replaces the CA with a new, name-constrained one permitting loopback and `names`, and issues a leaf from it. The
 * old certificate is kept beside it (ca-replaced-<time>.pem) for removing it from trust stores; the old key is
 * deleted, which is the point: a key that could sign for any host no longer exists here.
 */
export async function rotateAuthority(tlsDir: string, options: TlsOptions = {}): Promise<RotatedAuthority> {
  const now = options.now ?? new Date();
  await prepareTlsDir(tlsDir);
  const certPath = path.join(tlsDir, CA_CERT_FILE);
  const oldPem = await readIfPresent(certPath);
  let replaced: RotatedAuthority["replaced"];
  if (oldPem !== undefined) {
    const old = new NodeX509Certificate(oldPem);
    const keptPath = path.join(tlsDir, `ca-replaced-${now.toISOString().replace(/[:.]/g, "-")}.pem`);
    await rename(certPath, keptPath);
    replaced = { certPath: keptPath, sha1: old.fingerprint.replaceAll(":", ""), serial: old.serialNumber };
  }
  // The leaf of the old CA must not be reused, and the old key must not outlive the rotation.
  for (const file of [CA_KEY_FILE, LEAF_CERT_FILE, LEAF_KEY_FILE])
    await rm(path.join(tlsDir, file), { force: true });
  return { replaced, material: await ensureTlsMaterial(tlsDir, options) };
}

async function prepareTlsDir(tlsDir: string): Promise<void> {
  await mkdir(tlsDir, { recursive: true, mode: 0o700 });
  // mkdir's mode only applies to a new directory; tighten an existing one too, since it holds the CA key.
  if (process.platform !== "win32") await chmod(tlsDir, 0o700);
}

async function loadOrCreateAuthority(
  tlsDir: string,
  now: Date,
  names: readonly TlsName[],
): Promise<Authority> {
  const certPath = path.join(tlsDir, CA_CERT_FILE);
  const keyPath = path.join(tlsDir, CA_KEY_FILE);
  const certPem = await readIfPresent(certPath);
  // No ca.pem means no one can have trusted this CA yet (a ca-key.pem alone is left over from an interrupted first run).
  if (certPem === undefined) return createAuthority(certPath, keyPath, now, names);

  // From here on never replace anything: users may have put this CA in their trust store, and a silently new CA
  // would make every terraform run fail with an unknown-authority error that points nowhere near the cause.
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(certPem);
  } catch (error) {
    throw corruptAuthority(certPath, tlsDir, `it is not a valid PEM certificate (${errorMessage(error)})`);
  }
  const keyPem = await readIfPresent(keyPath);
  if (keyPem === undefined) throw corruptAuthority(keyPath, tlsDir, "it is missing");
  let key: KeyObject;
  try {
    key = parseP256PrivateKey(keyPem);
  } catch (error) {
    throw corruptAuthority(keyPath, tlsDir, `it is not a valid P-256 private key (${errorMessage(error)})`);
  }
  if (!keyMatchesCertificate(key, cert)) {
    throw corruptAuthority(keyPath, tlsDir, `it is not the private key of ${certPath}`);
  }
  if (cert.notAfter.getTime() <= now.getTime()) {
    throw corruptAuthority(certPath, tlsDir, `the CA expired on ${cert.notAfter.toISOString()}`);
  }
  return {
    cert,
    pem: cert.toString("pem") + "\n",
    signingKey: await importSigningKey(key),
    permitted: permittedSubtreesOf(cert),
  };
}

async function createAuthority(
  certPath: string,
  keyPath: string,
  now: Date,
  names: readonly TlsName[],
): Promise<Authority> {
  // leafNames put the loopback names first; what follows are the `--tls-name` ones.
  const permitted = [...LOOPBACK_SUBTREES, ...names.slice(LOOPBACK_NAMES.length).map(subtreeOf)];
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALIDITY_YEARS);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    // The hostname tells apart the CAs of several machines in one keychain or trust store.
    name: [{ CN: [`Larder Local CA (${os.hostname()})`] }, { O: ["Larder"] }],
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // pathLength 0: this CA signs only leaves, so a stolen key cannot mint intermediate CAs.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      nameConstraintsExtension(permitted),
    ],
  });
  const pem = cert.toString("pem") + "\n";
  // Key first: if we crash between the two writes, no ca.pem exists and the next start simply creates a fresh CA.
  await writeFileAtomic(keyPath, await exportPrivateKeyPem(keys.privateKey), 0o600);
  await writeFileAtomic(certPath, pem, 0o644);
  return { cert, pem, signingKey: keys.privateKey, permitted };
}

/** The existing leaf if it is still fine to serve; any doubt means undefined, and a new leaf costs nothing. */
async function loadReusableLeaf(
  tlsDir: string,
  authority: Authority,
  now: Date,
  names: readonly TlsName[],
): Promise<Leaf | undefined> {
  try {
    const certPem = await readFile(path.join(tlsDir, LEAF_CERT_FILE), "utf8");
    const keyPem = await readFile(path.join(tlsDir, LEAF_KEY_FILE), "utf8");
    const cert = new x509.X509Certificate(certPem);
    // A crash between writing server-key.pem and server.pem leaves a key that does not match the certificate.
    if (!keyMatchesCertificate(parseP256PrivateKey(keyPem), cert)) return undefined;
    // A leaf from an earlier CA (the tls directory was partly replaced) would not verify against what users trust.
    if (cert.issuer !== authority.cert.subject) return undefined;
    if (!(await cert.verify({ publicKey: authority.cert.publicKey, signatureOnly: true }))) return undefined;
    if (cert.notBefore.getTime() > now.getTime()) return undefined;
    if (cert.notAfter.getTime() - now.getTime() < LEAF_RENEW_BEFORE_MS) return undefined;
    if (!coversNames(certPem, names)) return undefined;
    return { pem: cert.toString("pem") + "\n", keyPem, notAfter: cert.notAfter };
  } catch {
    return undefined;
  }
}

async function issueLeaf(
  tlsDir: string,
  authority: Authority,
  now: Date,
  names: readonly TlsName[],
): Promise<Leaf> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"]);
  // Never outlive the CA: a chain is only as valid as its shortest-lived certificate.
  const notAfter = new Date(Math.min(now.getTime() + LEAF_VALIDITY_MS, authority.cert.notAfter.getTime()));
  const caKeyId = authority.cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: [{ CN: ["localhost"] }, { O: ["Larder"] }],
    issuer: authority.cert.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: authority.signingKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: name.type, value: name.value }))),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      // ECDSA keys only sign during the handshake; there is no key encipherment as with RSA.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.BasicConstraintsExtension(false),
      caKeyId === undefined
        ? await x509.AuthorityKeyIdentifierExtension.create(authority.cert.publicKey)
        : new x509.AuthorityKeyIdentifierExtension(caKeyId),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pem = cert.toString("pem") + "\n";
  const keyPem = await exportPrivateKeyPem(keys.privateKey);
  await writeFileAtomic(path.join(tlsDir, LEAF_KEY_FILE), keyPem, 0o600);
  await writeFileAtomic(path.join(tlsDir, LEAF_CERT_FILE), pem, 0o644);
  return { pem, keyPem, notAfter: cert.notAfter };
}

/** Checks names the way a Go client will: SANs only, never the subject CN. */
function coversNames(certPem: string, names: readonly TlsName[]): boolean {
  const cert = new NodeX509Certificate(certPem);
  return names.every((name) =>
    name.type === "dns"
      ? cert.checkHost(name.value, { subject: "never" }) !== undefined
      : cert.checkIP(name.value) !== undefined,
  );
}

/** 16 random bytes with the top bit clear and a non-zero first byte: positive and exactly 16 bytes, as Go requires. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  const first = (bytes[0] ?? 0) & 0x7f;
  bytes[0] = first === 0 ? 0x01 : first;
  return bytes.toString("hex");
}

function parseP256PrivateKey(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new Error(`expected an ECDSA P-256 key, found ${key.asymmetricKeyType ?? "an unknown key type"}`);
  }
  return key;
}

function keyMatchesCertificate(key: KeyObject, cert: x509.X509Certificate): boolean {
  const derived = createPublicKey(key).export({ type: "spki", format: "der" });
  return derived.equals(Buffer.from(cert.publicKey.rawData));
}

async function importSigningKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const der = key.export({ type: "pkcs8", format: "der" });
  return webcrypto.subtle.importKey("pkcs8", der, KEY_ALGORITHM, false, ["sign"]);
}

async function exportPrivateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY") + "\n";
}

/** The file's content, or undefined if it does not exist; any other read failure is an error worth reporting. */
async function readIfPresent(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(filePath, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw new LarderError("storage_failed", `Could not read ${filePath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

function corruptAuthority(filePath: string, tlsDir: string, reason: string): LarderError {
  return new LarderError(
    "storage_failed",
    `Larder's local certificate authority file ${filePath} cannot be used: ${reason}. Larder will not replace it on ` +
      `its own, because terraform/tofu may already trust this CA. To start over, delete the directory ${tlsDir} and ` +
      `start Larder again, then trust the new ${path.join(tlsDir, CA_CERT_FILE)} in place of the old one.`,
  );
}
