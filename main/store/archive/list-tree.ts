import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { LarderError } from "../../core/errors.js";
import { symlinkTargetProblem } from "./symlink-target.js";

/** One thing found under a directory, named by its "/"-separated relative path ("dir/" for directories). */
export type TreeEntry =
  | { readonly kind: "directory"; readonly name: string }
  | {
      readonly kind: "file";
      readonly name: string;
      readonly path: string;
      readonly size: number;
      readonly executable: boolean;
    }
  | { readonly kind: "symlink"; readonly name: string; readonly target: string };

/** Byte-wise order of the UTF-8 names, as Go and `LC_ALL=C sort` use, independent of locale and platform. */
function byName(a: TreeEntry, b: TreeEntry): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

/** Lists a tree in a stable order; a directory sorts before its content because its name is their prefix. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  await walk(root, "", entries);
  return entries.sort(byName);
}

async function walk(dir: string, prefix: string, into: TreeEntry[]): Promise<void> {
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const relative = prefix + name;
    // lstat, not stat: a symlink is recorded as a symlink and never followed out of the tree.
    const stats = await lstat(path);
    if (stats.isDirectory()) {
      into.push({ kind: "directory", name: `${relative}/` });
      await walk(path, `${relative}/`, into);
    } else if (stats.isSymbolicLink()) {
      const target = await readlink(path);
      // Trees from git checkouts never went through the extractor's checks: refuse escaping links here too.
      const problem = symlinkTargetProblem(relative, target);
      if (problem !== undefined) {
        throw new LarderError("verification_failed", `Refusing to store ${relative}: it ${problem}.`);
      }
      into.push({ kind: "symlink", name: relative, target });
    } else if (stats.isFile()) {
      into.push({
        kind: "file",
        name: relative,
        path,
        size: stats.size,
        executable: (stats.mode & 0o111) !== 0,
      });
    } else {
      throw new LarderError(
        "storage_failed",
        `Cannot pack ${path}: it is not a file, a directory or a symlink.`,
      );
    }
  }
}
