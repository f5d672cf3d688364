import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix, resolve } from "node:path";
import { LarderError } from "../core/errors.js";
import { readTarGzFiles } from "../store/archive/read-tar-files.js";
import type { ConfigFile } from "./module-config.js";

/**
 * A tree of module directories to walk, addressed by POSIX paths relative to its root ("" is the root, `../x`
 * is outside it): a project on disk, or a stored module archive read in memory.
 */
export interface ModuleTree {
  /** Whether local calls may lead outside the root: a project's may (`../shared`), a package's cannot be served. */
  readonly open: boolean;
  isDirectory(dir: string): Promise<boolean>;
  /** The `.tf` and `.tf.json` files directly in `dir`, in name order, named relative to the root for messages. */
  configFiles(dir: string): Promise<ConfigFile[]>;
}

/** Whether a file name is Terraform configuration, as init reads a directory. */
export function isConfigFileName(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/**
 * A directory on disk. A project's local calls are followed wherever they lead, as init follows them
 * (`open`); a module package's stay inside it.
 */
export function diskModuleTree(root: string, options: { readonly open: boolean }): ModuleTree {
  const absolute = resolve(root);
  return {
    open: options.open,
    isDirectory: async (dir) =>
      (await stat(join(absolute, dir)).catch(() => undefined))?.isDirectory() === true,
    configFiles: async (dir) => {
      const entries = await readdir(join(absolute, dir), { withFileTypes: true }).catch(() => []);
      const names: string[] = [];
      for (const entry of entries) {
        if (!isConfigFileName(entry.name)) continue;
        // init follows symlinked files (a shared providers.tf linked into each root module is common).
        if (entry.isFile() || (entry.isSymbolicLink() && (await isFile(join(absolute, dir, entry.name)))))
          names.push(entry.name);
      }
      names.sort();
      return Promise.all(
        names.map(async (name) => ({
          name: posix.join(dir, name),
          content: await readFile(join(absolute, dir, name), "utf8"),
        })),
      );
    },
  };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

/** A configuration file larger than this is generated data, not something init's module walk depends on. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** All configuration of one archive held in memory at once: far above any real module, well below trouble. */
const MAX_TOTAL_CONFIG_BYTES = 64 * 1024 * 1024;

/**
 * A stored module archive (`.tar.gz`), its configuration files read in one pass without unpacking anything to
 * disk. Local calls stay inside it: nothing outside the archive is stored or served.
 */
export async function archiveModuleTree(archivePath: string, context: string): Promise<ModuleTree> {
  const dirs = new Set<string>([""]);
  const files = await readTarGzFiles(
    archivePath,
    (name) => {
      for (let dir = posix.dirname(name); dir !== "." && !dirs.has(dir); dir = posix.dirname(dir))
        dirs.add(dir);
      return isConfigFileName(posix.basename(name));
    },
    MAX_CONFIG_BYTES,
    context,
  );
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > MAX_TOTAL_CONFIG_BYTES)
    throw new LarderError(
      "too_large",
      `${context}: its configuration files add up to ${total} bytes, more than the ${MAX_TOTAL_CONFIG_BYTES} Larder reads of one module.`,
    );
  const byDir = new Map<string, ConfigFile[]>();
  for (const file of files.filter((entry) => !entry.truncated).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = posix.dirname(file.name) === "." ? "" : posix.dirname(file.name);
    const list = byDir.get(dir) ?? [];
    list.push({ name: file.name, content: Buffer.from(file.bytes).toString("utf8") });
    byDir.set(dir, list);
  }
  return {
    open: false,
    isDirectory: (dir) => Promise.resolve(dirs.has(dir)),
    configFiles: (dir) => Promise.resolve(byDir.get(dir) ?? []),
  };
}
