import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../../main/core/errors.js";
import { extractArchive } from "../../../../main/store/archive/index.js";
import { buildZip, makeScene, renameInZip, type Scene, type ZipItem } from "./archive-builders.js";

let scene: Scene;

beforeEach(async () => {
  scene = await makeScene();
});

afterEach(async () => {
  await scene.temp.remove();
});

/** Extracts a zip that must be refused, proves nothing landed outside dest, and returns the message. */
async function refusal(bytes: Uint8Array): Promise<string> {
  const file = await scene.write(bytes, "hostile.zip");
  const error = await extractArchive(file, "zip", scene.dest, "Module acme/net/aws 1.0.0").then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LarderError);
  expect(error).toMatchObject({ code: "verification_failed" });
  expect(await scene.outside()).toEqual({ root: ["dest", "sibling"], sibling: [] });
  return (error as LarderError).message;
}

/** A zip holding ok.tf and one file whose name is patched in afterwards (yazl refuses hostile names). */
async function zipNamed(name: string): Promise<Buffer> {
  const placeholder = "Q".repeat(Buffer.byteLength(name));
  const zip = await buildZip([
    { name: "ok.tf", content: "ok" },
    { name: placeholder, content: "pwned" },
  ]);
  return renameInZip(zip, placeholder, name);
}

const climbs = 'has a ".." segment that could climb out of the destination';

describe("extractArchive refuses hostile zip entries", () => {
  it.each([
    ["/tmp/evil.tf", "has an absolute path"],
    ["C:\\evil.tf", "has an absolute path"],
    ["\\\\server\\share\\evil.tf", "has an absolute path"],
    ["../sibling/evil.tf", climbs],
    ["..\\sibling\\evil.tf", climbs],
    ["a/../../sibling/evil.tf", climbs],
    ["a\0b.tf", "has a NUL byte in its name"],
  ])("a file named %j", async (name, reason) => {
    expect(await refusal(await zipNamed(name))).toBe(
      `Module acme/net/aws 1.0.0: the archive was refused: entry ${JSON.stringify(name)} ${reason}.`,
    );
  });

  it("an empty name", async () => {
    const zip = await buildZip([{ name: "Q", content: "x" }]);
    // Shrinking a name is harder than renaming it; a lone "/" names nothing once its empty segments are dropped.
    expect(await refusal(renameInZip(zip, "Q", "/"))).toContain('entry "/" has an absolute path');
    const bytes = Buffer.from(zip);
    // In the central record, give the one name byte to the comment that follows it: the name becomes "".
    const central = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt16LE(0, central + 28);
    bytes.writeUInt16LE(1, central + 32);
    await scene.temp.remove();
    scene = await makeScene();
    expect(await refusal(bytes)).toContain('entry "" has an empty name');
  });

  it.each([
    ["/etc/passwd", "is a symlink to the absolute path"],
    ["../sibling", "is a symlink that points outside the destination"],
    ["a/../../sibling", 'is a symlink whose target "a/../../sibling" uses ".." after a directory name'],
  ])("a symlink to %j", async (target, reason) => {
    const message = await refusal(await buildZip([{ name: "link", content: target, mode: 0o120777 }]));
    expect(message).toContain(`entry "link" ${reason}`);
  });

  it("a file written through a symlink that was extracted earlier", async () => {
    const items: ZipItem[] = [
      { directory: "real" },
      { name: "alias", content: "real", mode: 0o120777 },
      { name: "alias/evil.tf", content: "pwned" },
    ];
    expect(await refusal(await buildZip(items))).toContain(
      'entry "alias/evil.tf" would be written through the symlink "alias"',
    );
  });

  it.each([
    [0o020644, "20644"],
    [0o060644, "60644"],
    [0o010644, "10644"],
    [0o140644, "140644"],
  ])("a special file with mode %o", async (mode, octal) => {
    const message = await refusal(await buildZip([{ name: "dev", content: "", mode }]));
    expect(message).toContain(
      `entry "dev" is a special file (mode ${octal}), which has no place in a module`,
    );
  });

  it("a file repeated, while a repeated directory is fine", async () => {
    const zip = await buildZip([
      { directory: "d" },
      { directory: "d" },
      { name: "d/x.tf", content: "1" },
      { name: "d/Q.tf", content: "2" },
    ]);
    expect(await refusal(renameInZip(zip, "d/Q.tf", "d/x.tf"))).toContain(
      'entry "d/x.tf" appears twice in the archive and would overwrite an earlier entry',
    );
  });

  it("an encrypted entry", async () => {
    const zip = await buildZip([{ name: "secret.tf", content: "x" }]);
    for (const signature of [
      [0x50, 0x4b, 0x03, 0x04],
      [0x50, 0x4b, 0x01, 0x02],
    ]) {
      const at = zip.indexOf(Buffer.from(signature));
      // The general purpose flag sits at 6 in a local header and 8 in a central one; bit 0 means encrypted.
      const flag = at + (signature[2] === 0x03 ? 6 : 8);
      zip.writeUInt16LE(zip.readUInt16LE(flag) | 1, flag);
    }
    expect(await refusal(zip)).toContain('entry "secret.tf" is encrypted');
  });
});
