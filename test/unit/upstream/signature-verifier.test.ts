import * as openpgp from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { verifyDetachedSignature } from "../../../main/upstream/signature-verifier.js";

interface TestKey {
  readonly privateKey: openpgp.PrivateKey;
  readonly armoredPublic: string;
  readonly keyId: string;
}

const DAY = 24 * 60 * 60 * 1000;
const data = new TextEncoder().encode(
  `${"a".repeat(64)}  terraform-provider-x_1.0.0_linux_amd64.zip\n${"b".repeat(64)}  terraform-provider-x_1.0.0_darwin_arm64.zip\n`,
);
const context = "example.com/acme/x 1.0.0";

async function generate(
  name: string,
  options: { date?: Date; keyExpirationTime?: number } = {},
): Promise<TestKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "curve25519",
    userIDs: [{ name, email: `${name.toLowerCase()}@example.com` }],
    format: "object",
    ...options,
  });
  return { privateKey, armoredPublic: publicKey.armor(), keyId: privateKey.getKeyID().toHex().toUpperCase() };
}

async function signBinary(key: TestKey, bytes: Uint8Array, date?: Date): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: bytes });
  const signature: unknown = await openpgp.sign({
    message,
    signingKeys: key.privateKey,
    detached: true,
    format: "binary",
    date,
  });
  if (!(signature instanceof Uint8Array)) throw new Error("test setup: expected a binary signature");
  return signature;
}

async function signArmored(key: TestKey, bytes: Uint8Array): Promise<Uint8Array> {
  const message = await openpgp.createMessage({ binary: bytes });
  const signature: unknown = await openpgp.sign({
    message,
    signingKeys: key.privateKey,
    detached: true,
    format: "armored",
  });
  if (typeof signature !== "string") throw new Error("test setup: expected an armored signature");
  return new TextEncoder().encode(signature);
}

async function refusal(promise: Promise<unknown>): Promise<LarderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LarderError)) throw new Error(`expected a LarderError, got ${String(error)}`);
  expect(error.code).toBe("verification_failed");
  expect(error.message.startsWith(`${context}: `)).toBe(true);
  return error;
}

let registryKey: TestKey;
let otherKey: TestKey;

beforeAll(async () => {
  [registryKey, otherKey] = await Promise.all([generate("Registry"), generate("Stranger")]);
});

describe("verifyDetachedSignature", () => {
  it("accepts a binary detached signature and names the key that made it", async () => {
    const signature = await signBinary(registryKey, data);
    expect(signature[0]).not.toBe("-".charCodeAt(0));
    await expect(
      verifyDetachedSignature(data, signature, [registryKey.armoredPublic], context),
    ).resolves.toEqual({
      keyId: registryKey.keyId,
    });
    expect(registryKey.keyId).toMatch(/^[0-9A-F]{16}$/);
  });

  it("accepts an ASCII-armored detached signature", async () => {
    const signature = await signArmored(registryKey, data);
    expect(new TextDecoder().decode(signature)).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    await expect(
      verifyDetachedSignature(data, signature, [registryKey.armoredPublic], context),
    ).resolves.toEqual({
      keyId: registryKey.keyId,
    });
  });

  it("accepts the signature when any one of several offered keys made it", async () => {
    const signature = await signBinary(registryKey, data);
    const result = await verifyDetachedSignature(
      data,
      signature,
      [otherKey.armoredPublic, registryKey.armoredPublic],
      context,
    );
    expect(result.keyId).toBe(registryKey.keyId);
  });

  it("refuses a signature by a key the registry did not offer as from an unknown issuer", async () => {
    const signature = await signBinary(otherKey, data);
    const error = await refusal(
      verifyDetachedSignature(data, signature, [registryKey.armoredPublic], context),
    );
    expect(error.message).toContain("unknown issuer");
    expect(error.message).toContain(`signed by key ${otherKey.keyId}`);
    expect(error.message).toContain(`signing keys (${registryKey.keyId})`);
  });

  it("refuses checksums that changed after signing as an invalid signature", async () => {
    const signature = await signBinary(registryKey, data);
    const tampered = Uint8Array.from(data);
    tampered[0] = "c".charCodeAt(0);
    const error = await refusal(
      verifyDetachedSignature(tampered, signature, [registryKey.armoredPublic], context),
    );
    expect(error.message).toMatch(
      /the SHA256SUMS signature is invalid \(.+\)\. The checksums may have been tampered with/,
    );
    expect(error.message).not.toContain("unknown issuer");
    const extraLine = new Uint8Array([...data, ...new TextEncoder().encode(`${"c".repeat(64)}  evil.zip\n`)]);
    await refusal(verifyDetachedSignature(extraLine, signature, [registryKey.armoredPublic], context));
  });

  it("refuses to check anything when the registry returned no keys", async () => {
    const signature = await signBinary(registryKey, data);
    const error = await refusal(verifyDetachedSignature(data, signature, [], context));
    expect(error.message).toBe(
      `${context}: the registry returned no signing keys, so the SHA256SUMS signature cannot be checked. Refusing to store an unverifiable package.`,
    );
  });

  it("skips an unreadable key among good ones, and refuses when no key is readable", async () => {
    const signature = await signBinary(registryKey, data);
    const broken = registryKey.armoredPublic.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
    const keys = ["not a key", broken, "", registryKey.armoredPublic];
    await expect(verifyDetachedSignature(data, signature, keys, context)).resolves.toEqual({
      keyId: registryKey.keyId,
    });
    const error = await refusal(verifyDetachedSignature(data, signature, ["not a key", broken], context));
    expect(error.message).toBe(
      `${context}: none of the registry's signing keys could be read as an OpenPGP public key.`,
    );
  });

  it("refuses a signature file that is not OpenPGP", async () => {
    const html = new TextEncoder().encode("<html><body>Access denied</body></html>");
    const error = await refusal(verifyDetachedSignature(data, html, [registryKey.armoredPublic], context));
    expect(error.message).toMatch(/the SHA256SUMS signature file is not an OpenPGP signature/);
  });

  it("accepts a signature made while the key was valid even though the key has expired since", async () => {
    const created = new Date(Date.now() - 10 * DAY);
    const expiring = await generate("Expired", { date: created, keyExpirationTime: 24 * 60 * 60 });
    const signedAt = new Date(created.getTime() + 60 * 60 * 1000);
    const signature = await signBinary(expiring, data, signedAt);

    // The key really is expired now; only the signature's own creation time makes it acceptable.
    const publicKey = await openpgp.readKey({ armoredKey: expiring.armoredPublic });
    await expect(publicKey.verifyPrimaryKey()).rejects.toThrow(/expired/i);
    await expect(publicKey.verifyPrimaryKey(signedAt)).resolves.toBeUndefined();

    await expect(
      verifyDetachedSignature(data, signature, [expiring.armoredPublic], context),
    ).resolves.toEqual({
      keyId: expiring.keyId,
    });
  });
});
