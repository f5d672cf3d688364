import type { ModuleVersionRecord } from "../db/module-repository.js";
import type { BlobStore } from "../store/blob-store.js";
import type { ConfigReader } from "./config-reader.js";
import { findModuleDependencies, type ModuleDependencies } from "./module-dependencies.js";
import { archiveModuleTree } from "./module-tree.js";

/** Reads what a stored module version calls and requires from Larder's own archive, without unpacking it. */
export async function dependenciesOf(
  deps: { readonly store: BlobStore; readonly configs: ConfigReader },
  record: ModuleVersionRecord,
  extraSubdir: string,
  defaultHosts: readonly string[],
): Promise<ModuleDependencies> {
  const tree = await archiveModuleTree(
    deps.store.pathOf(record.archiveBlob),
    `Module ${record.namespace}/${record.name}`,
  );
  const subdir = [record.subdir, extraSubdir].filter((part) => part !== "").join("/");
  return findModuleDependencies(tree, deps.configs, subdir, defaultHosts);
}
