import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { LarderError } from "../core/errors.js";
import {
  isHostlessModuleAddress,
  tryParseModuleAddress,
  type ModuleAddress,
} from "../core/module-address.js";
import { readModuleConfig, type ProviderRequirement } from "./module-config.js";

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
  readonly external: readonly { readonly source: string; readonly calledFrom: string }[];
}

/** How far local module calls are followed. */
export interface WalkOptions {
  /**
   * A project's root module may call `../shared/x` anywhere on disk; a module package is walked only within its
   * own tree, since nothing outside it is stored or served.
   */
  readonly localCallsLeaveTree?: boolean;
}

/**
 * Finds what a module needs the way terraform walks it: the `.tf` files of the module directory, following
 * local module calls (`./x`, `../x`) within the same tree, collecting registry module calls and
 * `required_providers`. A host-less registry module address is followed on each of `defaultHosts` (one per client
 * the mirror serves); provider sources are returned as written.
 */
export async function findModuleDependencies(
  treeRoot: string,
  moduleSubdir: string,
  defaultHosts: readonly string[],
  options: WalkOptions = {},
): Promise<ModuleDependencies> {
  const modules: { address: ModuleAddress; subdir: string; version: string | undefined }[] = [];
  const providers: ProviderRequirement[] = [];
  const external: { source: string; calledFrom: string }[] = [];
  const root = resolve(treeRoot);
  const visited = new Set<string>();
  const start = resolve(root, moduleSubdir);
  // terraform fails on a //subdir that does not exist; mirroring must not quietly find "no dependencies" instead.
  const info = await stat(start).catch(() => undefined);
  if (!info?.isDirectory() || !(start === root || start.startsWith(root + sep))) {
    throw new LarderError("not_found", `The module has no subdirectory "${moduleSubdir}".`);
  }
  const pending = [start];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (visited.has(dir)) continue;
    visited.add(dir);
    const config = await readModuleConfig(await tfFiles(dir, root));
    providers.push(...config.providers);
    // A provider used but not required is terraform's `hashicorp/<local name>`, with any version.
    const required = new Set(config.providers.map((provider) => provider.localName));
    for (const localName of config.impliedProviders) {
      if (!required.has(localName)) providers.push({ localName, source: undefined, version: undefined });
    }
    for (const call of config.moduleCalls) {
      if (call.source.startsWith("./") || call.source.startsWith("../")) {
        const target = resolve(dir, call.source);
        // Within a package, a local call that leaves the tree cannot be followed (and is not served); skip it.
        const inside = target === root || target.startsWith(root + sep);
        if (inside || options.localCallsLeaveTree === true) pending.push(target);
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
      if (!registry) external.push({ source: call.source, calledFrom: relative(root, dir) || "." });
    }
  }
  return { modules, providers, external };
}

/** A module directory's configuration files, named relative to root (for messages), in name order. */
export async function tfFiles(dir: string, root: string): Promise<{ name: string; content: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((entry) => entry.isFile() && (entry.name.endsWith(".tf") || entry.name.endsWith(".tf.json")))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    files.map(async (name) => ({
      name: relative(root, join(dir, name)),
      content: await readFile(join(dir, name), "utf8"),
    })),
  );
}
