import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { LarderError } from "../../core/errors.js";
import type { ConfigReader } from "../config-reader.js";
import { diskModuleTree, isConfigFileName } from "../module-tree.js";

/** How deep below a scanned directory root modules are looked for. */
const MAX_DEPTH = 8;

/** Directories init never reads as configuration: tool state, VCS data, dependencies of other ecosystems. */
function skipped(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** Whether a folder holds configuration files of its own (symlinked ones count, as init reads them). */
export async function holdsConfiguration(dir: string): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!isConfigFileName(entry.name)) continue;
    if (entry.isFile()) return true;
    if (entry.isSymbolicLink() && (await stat(join(dir, entry.name)).catch(() => undefined))?.isFile())
      return true;
  }
  return false;
}

/**
 * The root modules a path stands for: the directory itself when it holds configuration (`.tf`, `.tf.json`),
 * else every directory below it that does, except those another one calls as a local module (`./modules/x` is
 * part of its caller, not a root of its own). Hidden directories (`.terraform`, `.git`) and `node_modules` are not
 * entered. Refused, saying so, when there is no configuration at all.
 */
export async function findRootModules(path: string, configs: ConfigReader): Promise<string[]> {
  const start = resolve(path);
  await readdir(start).catch((error: unknown) => {
    throw new LarderError("not_found", `Cannot read the directory ${start}: ${String(error)}`);
  });
  if (await holdsConfiguration(start)) return [start];
  const found: string[] = [];
  const pending: { dir: string; depth: number }[] = [{ dir: start, depth: 0 }];
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const children = await readdir(next.dir, { withFileTypes: true }).catch(() => []);
    if (
      next.dir !== start &&
      children.some((entry) => isConfigFileName(entry.name)) &&
      (await holdsConfiguration(next.dir))
    )
      found.push(next.dir);
    if (next.depth >= MAX_DEPTH) continue;
    for (const child of children)
      if (child.isDirectory() && !skipped(child.name))
        pending.push({ dir: join(next.dir, child.name), depth: next.depth + 1 });
  }
  const called = new Set<string>();
  for (const dir of found) {
    const config = await configs.read(await diskModuleTree(dir, { open: true }).configFiles(""));
    for (const call of config.moduleCalls)
      if (call.source.startsWith("./") || call.source.startsWith("../"))
        called.add(resolve(dir, call.source));
  }
  const roots = found.filter((dir) => !called.has(dir)).sort();
  if (roots.length === 0)
    throw new LarderError(
      "not_found",
      `No Terraform configuration (.tf or .tf.json files) in ${start} or below: name the folder you run init in.`,
    );
  return roots;
}
