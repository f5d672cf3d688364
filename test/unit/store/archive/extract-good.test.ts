import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractArchive } from "../../../../main/store/archive/index.js";
import {
  buildTar,
  buildTarGz,
  buildZip,
  describeTree,
  makeScene,
  paxRecord,
  renameInZip,
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

const context = "Module acme/net/aws 1.0.0";

// Modes arrive messy (group-writable, setuid, world-writable) and leave as 0644/0755.
const moduleTar: TarItem[] = [
  { name: "./", type: "directory", mode: 0o775 },
  { name: "mod/", type: "directory", mode: 0o700 },
  { name: "mod/main.tf", content: "resource {}", mode: 0o664 },
  { name: "mod/scripts/run.sh", content: "#!/bin/sh", mode: 0o4775 },
  { name: "mod/scripts/owner-exec", content: "x", mode: 0o700 },
  { name: "mod/world.tf", content: "w", mode: 0o666 },
  { name: "mod/", type: "directory", mode: 0o755 },
  { name: "mod/link.tf", type: "symlink", linkname: "main.tf" },
  { name: "mod/scripts/up.tf", type: "symlink", linkname: "../main.tf" },
  { name: "mod/empty/", type: "directory" },
];

const expectedTree = [
  "d755 mod/",
  "d755 mod/empty/",
  "l mod/link.tf -> main.tf",
  "f644 mod/main.tf resource {}",
  "d755 mod/scripts/",
  "f755 mod/scripts/owner-exec x",
  "f755 mod/scripts/run.sh #!/bin/sh",
  "l mod/scripts/up.tf -> ../main.tf",
  "f644 mod/world.tf w",
];

describe("extractArchive extracts well-formed archives", () => {
  it("a tar.gz with nested directories, exec bits, internal symlinks and a repeated directory", async () => {
    const file = await scene.write(await buildTarGz(moduleTar), "module.tar.gz");
    await extractArchive(file, "tar.gz", scene.dest, context);
    expect(await describeTree(scene.dest)).toEqual(expectedTree);
    expect(await readFile(join(scene.dest, "mod/link.tf"), "utf8")).toBe("resource {}");
    expect(await scene.outside()).toEqual({ root: ["dest", "sibling"], sibling: [] });
  });

  it("a plain tar", async () => {
    const file = await scene.write(await buildTar(moduleTar), "module.tar");
    await extractArchive(file, "tar", scene.dest, context);
    expect(await describeTree(scene.dest)).toEqual(expectedTree);
  });

  it("a GitHub-style tarball: pax global header, long and non-ASCII names", async () => {
    const long = `${"deep/".repeat(30)}main.tf`;
    const tar = rewriteHeader(
      await buildTar([
        { name: "pax_global_header", content: paxRecord("comment", "0123456789abcdef") },
        { name: "repo-abc/", type: "directory" },
        { name: `repo-abc/${long}`, content: "long" },
        { name: "repo-abc/ünïcode.tf", content: "u" },
        { name: `repo-abc/${"n".repeat(120)}.tf`, content: "n" },
      ]),
      0,
      (block) => block.write("g", 156),
    );
    const file = await scene.write(tar, "repo.tar");
    await extractArchive(file, "tar", scene.dest, context);
    const tree = await describeTree(scene.dest);
    expect(tree).toContain(`f644 repo-abc/${long} long`);
    expect(tree).toContain("f644 repo-abc/ünïcode.tf u");
    expect(tree).toContain(`f644 repo-abc/${"n".repeat(120)}.tf n`);
    expect(tree.some((line) => line.includes("pax_global_header"))).toBe(false);
  });

  it("a zip with directories, exec bits, a symlink, implicit parents and Windows separators", async () => {
    const zip = await buildZip([
      { directory: "mod" },
      { name: "mod/main.tf", content: "resource {}", mode: 0o100664 },
      { name: "mod/run.sh", content: "#!/bin/sh", mode: 0o100775 },
      { name: "mod/link.tf", content: "main.tf", mode: 0o120777 },
      { name: "mod/deep/er/x.tf", content: "x", compress: false },
      { name: "win_dir_", content: "" },
      { name: "win_file.tf", content: "w" },
      { name: "empty.txt", content: "" },
    ]);
    const windows = renameInZip(renameInZip(zip, "win_dir_", "win\\dir\\"), "win_file.tf", "win\\file.tf");
    const file = await scene.write(windows, "module.zip");
    await extractArchive(file, "zip", scene.dest, context);
    expect(await describeTree(scene.dest)).toEqual([
      "f644 empty.txt ",
      "d755 mod/",
      "d755 mod/deep/",
      "d755 mod/deep/er/",
      "f644 mod/deep/er/x.tf x",
      "l mod/link.tf -> main.tf",
      "f644 mod/main.tf resource {}",
      "f755 mod/run.sh #!/bin/sh",
      "d755 win/",
      "d755 win/dir/",
      "f644 win/file.tf w",
    ]);
  });

  it("an empty zip and an empty tar.gz", async () => {
    await extractArchive(await scene.write(await buildZip([]), "e.zip"), "zip", scene.dest, context);
    await extractArchive(await scene.write(await buildTarGz([]), "e.tgz"), "tar.gz", scene.dest, context);
    expect(await describeTree(scene.dest)).toEqual([]);
  });
});
