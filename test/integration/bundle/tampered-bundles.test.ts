import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as openpgp from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { expectOneLineFailure } from "../cli/cli-support.js";
import {
  expectNothingImported,
  flipByte,
  larderOk,
  rewriteBundle,
  stockSmallMirror,
  type TarEntry,
} from "./bundle-support.js";

const DIR = "providers/registry.terraform.io/fixture/alpha";
const ZIP = `${DIR}/terraform-provider-alpha_1.1.0_linux_amd64.zip`;
const SUMS = `${DIR}/terraform-provider-alpha_1.1.0_SHA256SUMS`;
const PASSPHRASE = "correct horse battery staple";

/** Replaces the bytes of one entry, keeping its size. */
function replace(name: string, change: (data: Buffer) => Buffer): (entries: TarEntry[]) => TarEntry[] {
  return (entries) => {
    if (!entries.some((entry) => entry.name === name)) throw new Error(`no entry ${name}`);
    return entries.map((entry) => (entry.name === name ? { ...entry, data: change(entry.data) } : entry));
  };
}

/** Swaps the first hex digit of the line for `path` for another hex digit: still well-formed, now wrong. */
function alterLine(path: string): (data: Buffer) => Buffer {
  return (data) => {
    const lines = data.toString("utf8").split("\n");
    const index = lines.findIndex((line) => line.endsWith(`  ${path}`));
    const line = lines[index];
    if (line === undefined) throw new Error(`no SHA256SUMS line for ${path}`);
    lines[index] = `${line.startsWith("0") ? "1" : "0"}${line.slice(1)}`;
    return Buffer.from(lines.join("\n"));
  };
}

// Each test runs the real CLI several times; a loaded 2-core machine needs more than the default minute.
describe("larder bundle verify and import catch tampering", { timeout: 180_000 }, () => {
  let fixture: FixtureUpstream | undefined;
  let temp: TempDir;
  let good: string;
  let signed: string;
  let publicKey: string;
  let otherPublicKey: string;
  let keyId: string;
  let count = 0;

  beforeAll(async () => {
    temp = await makeTempDir("bundle-tamper");
    fixture = await startFixtureUpstream();
    const sending = join(temp.path, "sending");
    await stockSmallMirror(fixture, sending);
    good = join(temp.path, "good.tar");
    await larderOk(["bundle", "export", good, "--data-dir", sending]);

    const key = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Bundle Sender", email: "sender@example.test" }],
      passphrase: PASSPHRASE,
    });
    const other = await openpgp.generateKey({ type: "ecc", userIDs: [{ name: "Someone Else" }] });
    publicKey = join(temp.path, "sender.asc");
    otherPublicKey = join(temp.path, "other.asc");
    await writeFile(publicKey, key.publicKey);
    await writeFile(otherPublicKey, other.publicKey);
    const privateKey = join(temp.path, "sender-private.asc");
    await writeFile(privateKey, key.privateKey);
    keyId = (await openpgp.readKey({ armoredKey: key.publicKey })).getKeyID().toHex().toUpperCase();
    signed = join(temp.path, "signed.tar");
    const result = await runLarder(
      ["bundle", "export", signed, "--sign-key", privateKey, "--data-dir", sending],
      { LARDER_SIGN_PASSPHRASE: PASSPHRASE },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`signed by ${keyId}`);
  }, 180_000);

  afterAll(async () => {
    await fixture?.stop();
    await temp.remove();
  });

  /** Tampers with a bundle; verify must fail naming the entry and check, and import must write nothing. */
  async function expectCaught(
    source: string,
    edit: (entries: TarEntry[]) => TarEntry[],
    report: RegExp,
    reason: RegExp,
    extra: readonly string[] = [],
  ): Promise<void> {
    count++;
    const tampered = join(temp.path, `tampered-${count}.tar`);
    await rewriteBundle(source, tampered, edit);
    const verified = await runLarder(["bundle", "verify", tampered, ...extra]);
    expect(verified.stdout).toMatch(report);
    expect(verified.stdout).toMatch(/NOT verified/);
    expectOneLineFailure(verified, /failed verification/, reason);
    const dataDir = join(temp.path, `receiving-${count}`);
    const trust = extra.length > 0 ? extra : ["--allow-unsigned"];
    const imported = await runLarder(["bundle", "import", tampered, "--data-dir", dataDir, ...trust]);
    expectOneLineFailure(imported, /nothing was imported/, reason);
    await expectNothingImported(dataDir);
  }

  it("catches a flipped byte in a provider archive by its sha256 and h1", async () => {
    await expectCaught(
      good,
      replace(ZIP, (data) => flipByte(data)),
      new RegExp(`FAILED  ${ZIP.replaceAll(".", "\\.")}: .*sha256 .* differs from the manifest's`),
      new RegExp(`${ZIP.replaceAll(".", "\\.")}: sha256`),
    );
  });

  it("catches a changed line in a provider's signed SHA256SUMS by the registry signature", async () => {
    await expectCaught(
      good,
      replace(SUMS, alterLine("terraform-provider-alpha_1.1.0_linux_amd64.zip")),
      /FAILED .*SHA256SUMS: .*signature is invalid/,
      /SHA256SUMS/,
    );
  });

  it("catches a changed line in the bundle's own SHA256SUMS", async () => {
    await expectCaught(
      good,
      replace("SHA256SUMS", alterLine("README.md")),
      /FAILED {2}README\.md: the bundle's SHA256SUMS says/,
      /README\.md: the bundle's SHA256SUMS says/,
    );
  });

  it("catches a changed manifest by the manifest's SHA256SUMS line", async () => {
    await expectCaught(
      good,
      replace("manifest.json", (data) =>
        Buffer.from(data.toString("utf8").replace('"larderVersion": "', '"larderVersion": "9')),
      ),
      /FAILED {2}SHA256SUMS: manifest\.json does not match its SHA256SUMS line/,
      /manifest\.json does not match/,
    );
  });

  it("reports who signed without a trusted key, and verifies the signature with one", async () => {
    const unchecked = await larderOk(["bundle", "verify", signed]);
    expect(unchecked).toContain(`signed by ${keyId} (not checked against a trusted key)`);
    const trusted = await larderOk(["bundle", "verify", signed, "--trust-key", publicKey]);
    expect(trusted).toContain(`signed by ${keyId} (verified with the trusted key)`);
    const json = JSON.parse(
      await larderOk(["bundle", "verify", signed, "--json", "--trust-key", publicKey]),
    ) as {
      ok: boolean;
      signature: { status: string; keyId: string };
    };
    expect(json.ok).toBe(true);
    expect(json.signature).toEqual({ status: "trusted", keyId });
    const dataDir = join(temp.path, "signed-import");
    await larderOk(["bundle", "import", signed, "--trust-key", publicKey, "--data-dir", dataDir]);
  });

  it("refuses to import without --trust-key unless --allow-unsigned says so, writing nothing", async () => {
    const dataDir = join(temp.path, "no-trust");
    const refused = await runLarder(["bundle", "import", signed, "--data-dir", dataDir]);
    expectOneLineFailure(refused, /Refusing to import .* without --trust-key/, /--allow-unsigned/);
    expect(refused.code).toBe(2);
    await expectNothingImported(dataDir);
    // Imported on the registry signatures alone, the history does not claim a sender it never checked.
    await larderOk(["bundle", "import", signed, "--allow-unsigned", "--data-dir", dataDir]);
    const history = JSON.parse(await larderOk(["bundle", "list", "--json", "--data-dir", dataDir])) as {
      bundles: { direction: string; signedBy: string | null }[];
    };
    expect(history.bundles).toEqual([expect.objectContaining({ direction: "import", signedBy: null })]);
  });

  it("catches a flipped byte in the bundle signature", async () => {
    await expectCaught(
      signed,
      replace("SHA256SUMS.sig", (data) => flipByte(data, data.length - 1)),
      /FAILED {2}signature: /,
      /signature: /,
      ["--trust-key", publicKey],
    );
  });

  it("refuses a signature by another key than the trusted one, and an unsigned bundle when a key is required", async () => {
    const wrongKey = await runLarder(["bundle", "verify", signed, "--trust-key", otherPublicKey]);
    expectOneLineFailure(wrongKey, new RegExp(`by key ${keyId}\\) does not verify with the trusted key`));
    const unsigned = await runLarder(["bundle", "verify", good, "--trust-key", publicKey]);
    expectOneLineFailure(unsigned, /the bundle is not signed, but --trust-key requires a signature/);
  });
});
