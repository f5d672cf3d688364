import { spawnSync } from "node:child_process";
import { chmod, lutimes, mkdir, readFile, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { extractArchive, packDirectoryToTarGz } from "../../../../main/store/archive/index.js";
import { makeTempDir, type TempDir } from "../../../helpers/temp-dir.js";
import { describeTree, sha256 } from "./archive-builders.js";

let temp: TempDir;

beforeEach(async () => {
  temp = await makeTempDir("pack");
});

afterEach(async () => {
  await temp.remove();
});

/** A small module tree: nested and empty directories, an executable, a symlink, a long and a non-ASCII name. */
async function makeTree(root: string, mtime: Date): Promise<string[]> {
  const files: [string, string, number][] = [
    ["main.tf", "resource {}", 0o664],
    ["modules/net/main.tf", "module {}", 0o600],
    ["modules/net/scripts/run.sh", "#!/bin/sh", 0o700],
    ["a-b.tf", "dash", 0o644],
    ["ünïcode.tf", "u", 0o644],
    [`${"long/".repeat(25)}deep.tf`, "deep", 0o644],
  ];
  for (const [name, content, mode] of files) {
    await mkdir(join(root, name, ".."), { recursive: true });
    await writeFile(join(root, name), content);
    await chmod(join(root, name), mode);
  }
  await mkdir(join(root, "empty"));
  await symlink("../main.tf", join(root, "modules/link.tf"));
  const touched = [
    ...files.map(([name]) => name),
    "empty",
    "modules",
    "modules/net",
    "modules/net/scripts",
    ".",
  ];
  for (const name of touched) await utimes(join(root, name), mtime, mtime);
  await lutimes(join(root, "modules/link.tf"), mtime, mtime);
  return touched;
}

describe("packDirectoryToTarGz", () => {
  it("gives identical bytes for the same tree, whatever its mtimes", async () => {
    const first = join(temp.path, "first");
    const second = join(temp.path, "second");
    await makeTree(first, new Date("2021-06-01T10:00:00Z"));
    await makeTree(second, new Date("2025-02-03T04:05:06Z"));
    const a = await packDirectoryToTarGz(first, join(temp.path, "a.tar.gz"));
    const again = await packDirectoryToTarGz(first, join(temp.path, "a2.tar.gz"));
    const b = await packDirectoryToTarGz(second, join(temp.path, "b.tar.gz"));
    const bytes = await readFile(join(temp.path, "a.tar.gz"));
    // 6 files, 1 symlink, 29 directories (25 of them on the long path).
    expect(a).toEqual({ entries: 36, bytes: bytes.length });
    expect(again).toEqual(a);
    expect(b).toEqual(a);
    expect(sha256(await readFile(join(temp.path, "a2.tar.gz")))).toBe(sha256(bytes));
    expect(sha256(await readFile(join(temp.path, "b.tar.gz")))).toBe(sha256(bytes));
    // gzip header: deflate, no flags (so no file name), mtime 0, maximum compression, Unix.
    expect(bytes.subarray(0, 10).toString("hex")).toBe("1f8b0800000000000203");
  });

  it("round-trips through extractArchive with the same files, links and normalised modes", async () => {
    const source = join(temp.path, "source");
    await makeTree(source, new Date());
    const packed = join(temp.path, "module.tar.gz");
    await packDirectoryToTarGz(source, packed);
    const dest = join(temp.path, "dest");
    await mkdir(dest);
    await extractArchive(packed, "tar.gz", dest, "round trip");
    const extracted = await describeTree(dest);
    // The source's 0664/0600 files become 0644, its 0700 file 0755; everything else is identical.
    const normalised = (line: string): string => line.replace(/^f6\d\d/, "f644").replace(/^f7\d\d/, "f755");
    expect(extracted).toEqual((await describeTree(source)).map(normalised));
    expect(extracted).toContain("f755 modules/net/scripts/run.sh #!/bin/sh");
    expect(extracted).toContain("f644 modules/net/main.tf module {}");
    expect(extracted).toContain("l modules/link.tf -> ../main.tf");
    expect(extracted).toContain("d755 empty/");
  });

  it("refuses a tree whose symlink escapes it, as a git checkout could hold", async () => {
    const source = join(temp.path, "source");
    await mkdir(source);
    await symlink("../../etc/passwd", join(source, "escape"));
    await expect(packDirectoryToTarGz(source, join(temp.path, "x.tar.gz"))).rejects.toMatchObject({
      code: "verification_failed",
      message: expect.stringContaining(
        "Refusing to store escape: it is a symlink that points outside",
      ) as unknown,
    });
  });

  it.skipIf(spawnSync("tar", ["--version"]).status !== 0)(
    "lists as expected with the system tar",
    async () => {
      const source = join(temp.path, "source");
      await makeTree(source, new Date());
      const packed = join(temp.path, "module.tar.gz");
      await packDirectoryToTarGz(source, packed);
      const listing = spawnSync("tar", ["-tzvf", packed], {
        encoding: "utf8",
        env: { ...process.env, TZ: "UTC" },
      });
      expect(listing.status).toBe(0);
      const lines = listing.stdout.trim().split("\n");
      // GNU tar: "<mode> <uid>/<gid> <size> <date> <time> <name>", owners shown as ids because no names are stored.
      const rows = lines.map((line) => {
        const [mode = "", owner = "", size = "", date = "", time = "", ...rest] = line.split(/\s+/);
        return { mode, owner, size, stamp: `${date} ${time}`, name: rest.join(" ") };
      });
      expect(new Set(rows.map((row) => row.owner))).toEqual(new Set(["0/0"]));
      expect(new Set(rows.map((row) => row.stamp))).toEqual(new Set(["2000-01-01 00:00"]));
      expect(rows.map((row) => `${row.mode} ${row.name}`)).toEqual([
        "-rw-r--r-- a-b.tf",
        "drwxr-xr-x empty/",
        `drwxr-xr-x long/`,
        ...Array.from({ length: 24 }, (_, index) => `drwxr-xr-x ${"long/".repeat(index + 2)}`),
        `-rw-r--r-- ${"long/".repeat(25)}deep.tf`,
        "-rw-r--r-- main.tf",
        "drwxr-xr-x modules/",
        "lrwxrwxrwx modules/link.tf -> ../main.tf",
        "drwxr-xr-x modules/net/",
        "-rw-r--r-- modules/net/main.tf",
        "drwxr-xr-x modules/net/scripts/",
        "-rwxr-xr-x modules/net/scripts/run.sh",
        "-rw-r--r-- ünïcode.tf",
      ]);
      expect(rows.find((row) => row.name === "main.tf")?.size).toBe("11");
    },
  );
});
