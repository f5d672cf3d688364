import * as openpgp from "openpgp";
import { LarderError } from "../core/errors.js";

/** The outcome of a successful check: which key made the signature. */
export interface VerifiedSignature {
  readonly keyId: string;
}

/**
 * Verifies a detached OpenPGP signature over the raw SHA256SUMS bytes with the keys the registry returned, as
 * terraform does (terraform-protocols.md §2.3): any one key suffices, and a key that has expired since it
 * signed is still accepted, so the key is checked at the signature's creation time.
 */
export async function verifyDetachedSignature(
  data: Uint8Array,
  signatureBytes: Uint8Array,
  armoredKeys: readonly string[],
  context: string,
): Promise<VerifiedSignature> {
  if (armoredKeys.length === 0) {
    throw new LarderError(
      "verification_failed",
      `${context}: the registry returned no signing keys, so the SHA256SUMS signature cannot be checked. Refusing to store an unverifiable package.`,
    );
  }
  const signature = await readSignature(signatureBytes, context);
  const keys = await readKeys(armoredKeys, context);
  const created = signature.packets[0]?.created ?? undefined;
  const message = await openpgp.createMessage({ binary: data });
  let result: Awaited<ReturnType<typeof openpgp.verify>>;
  try {
    result = await openpgp.verify({
      message,
      signature,
      verificationKeys: keys,
      date: created ?? new Date(),
    });
  } catch (error) {
    throw new LarderError(
      "verification_failed",
      `${context}: the SHA256SUMS signature could not be checked (${String(error)}).`,
    );
  }
  const failures: string[] = [];
  for (const entry of result.signatures) {
    try {
      await entry.verified;
      return { keyId: entry.keyID.toHex().toUpperCase() };
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  const signer = result.signatures[0]?.keyID.toHex().toUpperCase() ?? "unknown";
  const offered = keys.map((key) => key.getKeyID().toHex().toUpperCase()).join(", ");
  const unknownIssuer = failures.some((reason) => /could not find signing key/i.test(reason));
  throw new LarderError(
    "verification_failed",
    unknownIssuer
      ? `${context}: SHA256SUMS is signed by key ${signer}, which is not among the registry's signing keys (${offered}). Authentication signature from unknown issuer; nothing was stored.`
      : `${context}: the SHA256SUMS signature is invalid (${failures.join("; ") || "no signature"}). The checksums may have been tampered with; nothing was stored.`,
  );
}

async function readSignature(bytes: Uint8Array, context: string): Promise<openpgp.Signature> {
  try {
    const text = Buffer.from(bytes.subarray(0, 64)).toString("latin1");
    return text.startsWith("-----BEGIN PGP SIGNATURE-----")
      ? await openpgp.readSignature({ armoredSignature: Buffer.from(bytes).toString("utf8") })
      : await openpgp.readSignature({ binarySignature: bytes });
  } catch (error) {
    throw new LarderError(
      "verification_failed",
      `${context}: the SHA256SUMS signature file is not an OpenPGP signature (${String(error)}).`,
    );
  }
}

async function readKeys(armoredKeys: readonly string[], context: string): Promise<openpgp.PublicKey[]> {
  const keys: openpgp.PublicKey[] = [];
  for (const armoredKey of armoredKeys) {
    try {
      keys.push((await openpgp.readKey({ armoredKey })).toPublic());
    } catch {
      // An unreadable key is skipped: another of the offered keys may still verify the signature.
    }
  }
  if (keys.length === 0) {
    throw new LarderError(
      "verification_failed",
      `${context}: none of the registry's signing keys could be read as an OpenPGP public key.`,
    );
  }
  return keys;
}
