import { createHash } from "node:crypto";
import { z } from "zod";
import type { ConfigCacheRepository } from "../db/config-cache-repository.js";
import type { ModuleDependencies } from "./module-dependencies.js";
import { parseLockFile, type LockedProvider } from "./project/lock-file.js";
import { mergeModuleConfigs, parseConfigFile, type ConfigFile, type ModuleConfig } from "./module-config.js";

/**
 * The version of what `parseConfigFile` reads. Raise it whenever that changes (a new field, a fixed reading):
 * cached rows of older versions are then ignored and the files read again.
 */
export const CONFIG_READER_VERSION = 2;

// JSON drops undefined fields; the transforms put them back, so a cached config equals a parsed one.
const optionalString = z.string().optional();
const cachedConfigSchema = z.object({
  moduleCalls: z.array(
    z
      .object({ name: z.string(), source: z.string(), version: optionalString })
      .transform((call) => ({ name: call.name, source: call.source, version: call.version })),
  ),
  providers: z.array(
    z
      .object({ localName: z.string(), source: optionalString, version: optionalString })
      .transform((p) => ({ localName: p.localName, source: p.source, version: p.version })),
  ),
  impliedProviders: z.array(z.string()),
  variables: z.array(
    z
      .object({ name: z.string(), description: optionalString, required: z.boolean() })
      .transform((v) => ({ name: v.name, description: v.description, required: v.required })),
  ),
  outputs: z.array(
    z
      .object({ name: z.string(), description: optionalString })
      .transform((o) => ({ name: o.name, description: o.description })),
  ),
}) satisfies z.ZodType<ModuleConfig>;

const cachedDependenciesSchema = z.object({
  modules: z.array(
    z
      .object({
        address: z.object({ host: z.string(), namespace: z.string(), name: z.string(), system: z.string() }),
        subdir: z.string(),
        version: optionalString,
      })
      .transform((call) => ({ address: call.address, subdir: call.subdir, version: call.version })),
  ),
  providers: cachedConfigSchema.shape.providers,
  external: z.array(z.object({ source: z.string(), calledFrom: z.string() })),
}) satisfies z.ZodType<ModuleDependencies>;

const cachedLockSchema = z.array(
  z.object({
    address: z.string(),
    version: z.string(),
    constraints: z.string(),
    hashes: z.array(z.string()),
  }),
) satisfies z.ZodType<LockedProvider[]>;

/**
 * Reads module directories' configuration, remembering what each file said by the hash of its bytes: a project
 * checked again, or a stored module walked again, costs a hash and a lookup per file instead of the HCL parser.
 */
export class ConfigReader {
  constructor(private readonly cache: ConfigCacheRepository | undefined) {}

  /** One directory's configuration from its files (see `readModuleConfig`), cached per file. */
  async read(files: readonly ConfigFile[]): Promise<ModuleConfig> {
    const configs: { name: string; config: ModuleConfig }[] = [];
    for (const file of files) configs.push({ name: file.name, config: await this.readFile(file) });
    return mergeModuleConfigs(configs);
  }

  /** A `.terraform.lock.hcl`'s provider blocks (see `parseLockFile`), cached by its bytes. */
  readLockFile(text: string, path: string): Promise<LockedProvider[]> {
    return this.cached("lock", text, cachedLockSchema, () => parseLockFile(text, path));
  }

  /**
   * What a stored module archive calls and requires, from `key` (its blob, subdirectory and default hosts:
   * archives never change, so neither does the answer), computed once and kept beside the files' readings. A
   * check of a project then neither unpacks nor parses the modules it calls.
   */
  storedDependencies(key: string, compute: () => Promise<ModuleDependencies>): Promise<ModuleDependencies> {
    return this.cached("dependencies", key, cachedDependenciesSchema, compute);
  }

  private readFile(file: ConfigFile): Promise<ModuleConfig> {
    // The syntax is part of the key: the same bytes mean different things as .tf and as .tf.json.
    const syntax = file.name.endsWith(".json") ? "json" : "hcl";
    return this.cached(syntax, file.content, cachedConfigSchema, () => parseConfigFile(file));
  }

  private async cached<T>(
    syntax: string,
    content: string,
    schema: z.ZodType<T>,
    parse: () => Promise<T>,
  ): Promise<T> {
    if (!this.cache) return parse();
    const key = createHash("sha256").update(`${syntax}\0`).update(content).digest("hex");
    const cached = this.cache.get(key, CONFIG_READER_VERSION);
    if (cached !== undefined) {
      const parsed = schema.safeParse(JSON.parse(cached));
      if (parsed.success) return parsed.data;
    }
    const value = await parse();
    try {
      this.cache.put(key, CONFIG_READER_VERSION, JSON.stringify(value));
    } catch {
      // A cache that cannot be written (a read-only data dir, a long lock) only costs the next reader a parse.
    }
    return value;
  }
}
