import * as openpgp from "openpgp";
import { errorMessage, LarderError } from "../core/errors.js";

// The random-salt notation is a recent OpenPGP.js addition older Go and gpg readers may not expect.
const pgpConfig: openpgp.PartialConfig = { nonDeterministicSignaturesViaNotation: false };

/** The state of the bundle's own signature, as `bundle verify` reports it. */
export type BundleSignatureCheck =
  | { readonly status: "unsigned" }
  | { readonly status: "signed-unchecked"; readonly keyId: string }
  | { readonly status: "trusted"; readonly keyId: string }
  | { readonly status: "failed"; readonly reason: string };

/**
 * Makes a detached binary signature of the bundle's SHA256SUMS with an armored private key (decrypted with the
 * passphrase when it is protected), as `gpg --detach-sign` would.
 */
export async function signBundleSums(
  sums: Uint8Array,
  armoredPrivateKey: string,
  passphrase: string | undefined,
): Promise<{ signature: Uint8Array; keyId: string }> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  } catch (error) {
    throw new LarderError(
      "invalid_input",
      `The --sign-key file is not an armored OpenPGP private key (${errorMessage(error)}).`,
    );
  }
  if (!key.isDecrypted()) {
    if (passphrase === undefined || passphrase === "") {
      throw new LarderError(
        "invalid_input",
        "The --sign-key is protected by a passphrase: set LARDER_SIGN_PASSPHRASE to it.",
      );
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase });
    } catch (error) {
      throw new LarderError(
        "invalid_input",
        `Cannot unlock the --sign-key with LARDER_SIGN_PASSPHRASE (${errorMessage(error)}).`,
      );
    }
  }
  const signature: unknown = await openpgp.sign({
    message: await openpgp.createMessage({ binary: sums }),
    signingKeys: key,
    detached: true,
    format: "binary",
    config: pgpConfig,
  });
  if (!(signature instanceof Uint8Array))
    throw new LarderError("storage_failed", "OpenPGP returned a non-binary signature.");
  return { signature, keyId: key.getKeyID().toHex().toUpperCase() };
}

/**
 * Checks the bundle signature. Without a trusted key it can only say who claims to have signed; with one, the
 * signature must verify with exactly that key.
 */
export async function checkBundleSignature(
  sums: Uint8Array,
  signatureBytes: Uint8Array | undefined,
  trustedKey: string | undefined,
): Promise<BundleSignatureCheck> {
  if (signatureBytes === undefined) {
    return trustedKey === undefined
      ? { status: "unsigned" }
      : { status: "failed", reason: "the bundle is not signed, but --trust-key requires a signature" };
  }
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ binarySignature: signatureBytes });
  } catch (error) {
    return {
      status: "failed",
      reason: `SHA256SUMS.sig is not an OpenPGP signature (${errorMessage(error)})`,
    };
  }
  const keyId = signature.getSigningKeyIDs()[0]?.toHex().toUpperCase() ?? "unknown";
  if (trustedKey === undefined) return { status: "signed-unchecked", keyId };
  let key: openpgp.PublicKey;
  try {
    key = (await openpgp.readKey({ armoredKey: trustedKey })).toPublic();
  } catch (error) {
    throw new LarderError(
      "invalid_input",
      `The --trust-key file is not an armored OpenPGP key (${errorMessage(error)}).`,
    );
  }
  try {
    const result = await openpgp.verify({
      message: await openpgp.createMessage({ binary: sums }),
      signature,
      verificationKeys: key,
      expectSigned: true,
    });
    await result.signatures[0]?.verified;
    return { status: "trusted", keyId };
  } catch (error) {
    const trusted = key.getKeyID().toHex().toUpperCase();
    return {
      status: "failed",
      reason: `SHA256SUMS.sig (by key ${keyId}) does not verify with the trusted key ${trusted}: ${errorMessage(error)}`,
    };
  }
}
