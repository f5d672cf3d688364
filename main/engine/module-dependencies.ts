import { posix } from "node:path";
import { LarderError } from "../core/errors.js";
import {
  isHostlessModuleAddress,
  tryParseModuleAddress,
  type ModuleAddress,
} from "../core/module-address.js";
import type { ConfigReader } from "./config-reader.js";
import type { ProviderRequirement } from "./module-config.js";
import type { ModuleTree } from "./module-tree.js";

/** Registry modules and providers a module version needs, with their version constraints. */
export interface ModuleDependencies {
  readonly modules: readonly {
    readonly address: ModuleAddress;
    /** The `//subdir` the call names inside the called module's package ("" for its root). */
    readonly subdir: string;
    readonly version: string | undefined;
  }[];
  readonly providers: readonly ProviderRequirement[];
  /** Calls that are neither local nor a registry address (git, HTTP archives, S3…): init fetches them itself. */
  readonly external: readonly ExternalCall[];
}

/** A module call whose source is neither local nor a registry address. */
export interface ExternalCall {
  readonly source: string;
  /** The calling directory, relative to the tree's root ("." for the root). */
  readonly calledFrom: string;
}

/**
 * Finds what a module needs the way terraform walks it: the configuration files of the module directory,
 * following local module calls (`./x`, `../x`; outside the tree only when the tree allows it), collecting
 * registry module calls and `required_providers` (and providers used without being required, which terraform
 * reads as `hashicorp/<name>`). A host-less registry module address is followed on each of `defaultHosts` (one
 * per client the mirror serves); provider sources are returned as written.
 */
export async function findModuleDependencies(
  tree: ModuleTree,
  configs: ConfigReader,
  moduleSubdir: string,
  defaultHosts: readonly string[],
): Promise<ModuleDependencies> {
  const modules: { address: ModuleAddress; subdir: string; version: string | undefined }[] = [];
  const providers: ProviderRequirement[] = [];
  const external: ExternalCall[] = [];
  const start = normalizeDir(moduleSubdir);
  // terraform fails on a //subdir that does not exist; mirroring must not quietly find "no dependencies" instead.
  if (leavesTree(start) || !(await tree.isDirectory(start))) {
    throw new LarderError("not_found", `The module has no subdirectory "${moduleSubdir}".`);
  }
  const visited = new Set<string>();
  const pending = [start];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (visited.has(dir)) continue;
    visited.add(dir);
    const config = await configs.read(await tree.configFiles(dir));
    providers.push(...config.providers);
    // A provider used but not required is terraform's `hashicorp/<local name>`, with any version.
    const required = new Set(config.providers.map((provider) => provider.localName));
    for (const localName of config.impliedProviders) {
      if (!required.has(localName)) providers.push({ localName, source: undefined, version: undefined });
    }
    for (const call of config.moduleCalls) {
      if (call.source.startsWith("./") || call.source.startsWith("../")) {
        const target = normalizeDir(posix.join(dir, call.source));
        // Within a package, a local call that leaves the tree cannot be followed (and is not served); skip it.
        if (leavesTree(target) && !tree.open) continue;
        // init refuses it too ("Unreadable module directory"): saying so beats a check that passes on a broken tree.
        if (!visited.has(target) && !(await tree.isDirectory(target)))
          throw new LarderError(
            "not_found",
            `Module "${call.name}" in ${dir === "" ? "the root module" : dir} calls ${call.source}, which does not exist; init fails on it with "Unreadable module directory".`,
          );
        pending.push(target);
        continue;
      }
      const hosts = isHostlessModuleAddress(call.source) ? defaultHosts : [undefined];
      let registry = false;
      for (const host of hosts) {
        const parsed = tryParseModuleAddress(call.source, host);
        if (typeof parsed === "string") continue;
        registry = true;
        modules.push({ address: parsed.address, subdir: parsed.subdir, version: call.version });
      }
      if (!registry) external.push({ source: call.source, calledFrom: dir === "" ? "." : dir });
    }
  }
  return { modules, providers, external };
}

/** `a/./b/..` → `a`, `.` → "" (the root). */
function normalizeDir(dir: string): string {
  const normal = posix.normalize(dir === "" ? "." : dir).replace(/\/+$/, "");
  return normal === "." ? "" : normal;
}

function leavesTree(dir: string): boolean {
  return dir === ".." || dir.startsWith("../") || posix.isAbsolute(dir);
}
