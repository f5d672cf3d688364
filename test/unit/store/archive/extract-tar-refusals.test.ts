import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../../main/core/errors.js";
import { extractArchive } from "../../../../main/store/archive/index.js";
import {
  buildTar,
  buildTarGz,
  makeScene,
  rewriteHeader,
  type Scene,
  type TarItem,
} from "./archive-builders.js";

let scene: Scene;

beforeEach(async () => {
  scene = await makeScene();
});

afterEach(async () => {
  await scene.temp.remove();
});

/** Extracts a tar.gz that must be refused, proves nothing landed outside dest, and returns the message. */
async function refusal(bytes: Uint8Array): Promise<string> {
  const file = await scene.write(bytes, "hostile.tar.gz");
  const error = await extractArchive(file, "tar.gz", scene.dest, "Module acme/net/aws 1.0.0").then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LarderError);
  expect(error).toMatchObject({ code: "verification_failed" });
  expect(await scene.outside()).toEqual({ root: ["dest", "sibling"], sibling: [] });
  return (error as LarderError).message;
}

const evil: TarItem = { name: "ok.tf", content: "ok" };

describe("extractArchive refuses hostile tar entries", () => {
  it.each([
    ["/tmp/evil.tf", "has an absolute path"],
    ["C:\\evil.tf", "has an absolute path"],
    ["\\\\server\\share\\evil.tf", "has an absolute path"],
    ["../sibling/evil.tf", 'has a ".." segment'],
    ["a/../../sibling/evil.tf", 'has a ".." segment'],
    ["dir\\evil.tf", "has a backslash"],
  ])("a file named %j", async (name, reason) => {
    const message = await refusal(await buildTarGz([evil, { name, content: "pwned" }]));
    expect(message).toContain(
      `Module acme/net/aws 1.0.0: the archive was refused: entry ${JSON.stringify(name)} ${reason}`,
    );
  });

  it("a name with a NUL byte, smuggled in a pax path", async () => {
    const message = await refusal(await buildTarGz([{ name: "a\0b.tf", content: "x", pax: {} }]));
    expect(message).toContain('entry "a\\u0000b.tf" has a NUL byte in its name');
  });

  it("a name that is empty once '.' segments are dropped", async () => {
    expect(await refusal(await buildTarGz([{ name: "./.", content: "x" }]))).toContain(
      'entry "./." names no file',
    );
  });

  it.each([
    ["/etc/passwd", "is a symlink to the absolute path"],
    ["../sibling", "is a symlink that points outside the destination"],
    ["a/../../sibling", 'is a symlink whose target "a/../../sibling" uses ".." after a directory name'],
  ])("a symlink to %j", async (linkname, reason) => {
    const message = await refusal(await buildTarGz([{ name: "link", type: "symlink", linkname }]));
    expect(message).toContain(`entry "link" ${reason}`);
  });

  it("a file written through a symlink that was extracted earlier", async () => {
    const message = await refusal(
      await buildTarGz([
        { name: "real/", type: "directory" },
        { name: "alias", type: "symlink", linkname: "real" },
        { name: "alias/evil.tf", content: "pwned" },
      ]),
    );
    expect(message).toContain('entry "alias/evil.tf" would be written through the symlink "alias"');
  });

  it("a hard link", async () => {
    const message = await refusal(
      await buildTarGz([evil, { name: "hard", type: "link", linkname: "ok.tf" }]),
    );
    expect(message).toContain('entry "hard" is a hard link, which Larder does not extract');
  });

  it.each(["character-device", "block-device", "fifo"] as const)("a %s", async (type) => {
    const message = await refusal(await buildTarGz([{ name: "dev", type, devmajor: 1, devminor: 3 }]));
    expect(message).toContain(`entry "dev" is a ${type}, which has no place in a module`);
  });

  it("an entry type tar-stream does not know (GNU sparse)", async () => {
    const tar = rewriteHeader(await buildTar([{ name: "sparse", content: "x" }]), 0, (block) =>
      block.write("S", 156),
    );
    const message = await refusal(gzipSync(tar));
    expect(message).toContain('entry "sparse" has a tar entry type Larder does not support');
  });

  it("a file repeated, which would overwrite the first", async () => {
    const message = await refusal(await buildTarGz([evil, { name: "./ok.tf", content: "second" }]));
    expect(message).toContain(
      'entry "./ok.tf" appears twice in the archive and would overwrite an earlier entry',
    );
  });

  it("a directory replacing a symlink, and a file under a file", async () => {
    const link: TarItem = { name: "link", type: "symlink", linkname: "ok.tf" };
    expect(await refusal(await buildTarGz([evil, link, { name: "link/", type: "directory" }]))).toContain(
      'entry "link/" appears twice',
    );
    await scene.temp.remove();
    scene = await makeScene();
    expect(await refusal(await buildTarGz([evil, { name: "ok.tf/x", content: "x" }]))).toContain(
      'entry "ok.tf/x" would be written inside "ok.tf", which is a file',
    );
  });
});
