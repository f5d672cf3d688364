import { z } from "zod";
import { LarderError } from "../core/errors.js";

/** A `module` block's call: where it comes from and which versions it accepts. */
export interface ModuleCall {
  /** The block's label (`module "vpc"`). */
  readonly name: string;
  readonly source: string;
  readonly version: string | undefined;
}

/** One `required_providers` entry: local name, source address (if given) and version constraint. */
export interface ProviderRequirement {
  readonly localName: string;
  readonly source: string | undefined;
  readonly version: string | undefined;
}

/** What Larder needs from a module directory's configuration to mirror its dependencies. */
export interface ModuleConfig {
  readonly moduleCalls: readonly ModuleCall[];
  readonly providers: readonly ProviderRequirement[];
  /**
   * Local names of providers the module uses without (necessarily) requiring them: `provider` blocks and the
   * prefix of every `resource` and `data` type. terraform reads one not in `required_providers` as
   * `hashicorp/<name>`.
   */
  readonly impliedProviders: readonly string[];
  /** `variable` blocks (required when they have no default) and `output` blocks, for a module's docs. */
  readonly variables: readonly { name: string; description: string | undefined; required: boolean }[];
  readonly outputs: readonly { name: string; description: string | undefined }[];
}

// hcl2json renders every block as an array of bodies; attribute values stay as written (strings here).
const moduleBlocks = z.record(
  z.string(),
  z.array(z.looseObject({ source: z.unknown().optional(), version: z.unknown().optional() })),
);
const describedBlocks = z.record(
  z.string(),
  z.array(z.looseObject({ description: z.unknown().optional(), default: z.unknown().optional() })),
);
const requirement = z.union([
  z.string(),
  z.looseObject({ source: z.unknown().optional(), version: z.unknown().optional() }),
]);
const terraformBlocks = z.array(
  z.looseObject({ required_providers: z.array(z.record(z.string(), requirement)).optional() }),
);

const typedBlocks = z.record(z.string(), z.unknown());

/** A configuration file: its name (for messages) and its text. */
export interface ConfigFile {
  readonly name: string;
  readonly content: string;
}

/**
 * Reads the module calls and provider requirements of one module directory's `.tf` files with HashiCorp's
 * HCL parser (compiled to WebAssembly), and of its `.tf.json` files as JSON. A file that does not parse is
 * refused with its name.
 */
export async function readModuleConfig(files: readonly ConfigFile[]): Promise<ModuleConfig> {
  const configs: ModuleConfig[] = [];
  for (const file of files) configs.push(await parseConfigFile(file));
  return mergeModuleConfigs(configs);
}

/** What one file says; a directory's configuration is the merge of its files' (`mergeModuleConfigs`). */
export async function parseConfigFile(file: ConfigFile): Promise<ModuleConfig> {
  let json: Record<string, unknown>;
  try {
    if (file.name.endsWith(".json")) {
      json = jsonSyntaxAsBlocks(file.content);
    } else {
      // Loaded on first use: importing the parser instantiates its Go WebAssembly runtime (~0.3 s and ~70 MB of
      // RSS), which every `larder` process paid at start although only reading uncached HCL needs it.
      const { parse } = await import("@cdktf/hcl2json");
      json = await parse(file.name, file.content);
    }
  } catch (error) {
    throw new LarderError(
      "verification_failed",
      `Cannot parse ${file.name}: ${String(error).split("\n")[0] ?? ""}`,
    );
  }
  const moduleCalls: ModuleCall[] = [];
  const providers: ProviderRequirement[] = [];
  const variables: ModuleConfig["variables"][number][] = [];
  const outputs: ModuleConfig["outputs"][number][] = [];
  const implied = new Set<string>();
  for (const [name, bodies] of Object.entries(moduleBlocks.safeParse(json.module).data ?? {})) {
    for (const body of bodies) {
      const source = asString(body.source);
      if (source !== undefined) moduleCalls.push({ name, source, version: asString(body.version) });
    }
  }
  for (const [name, bodies] of Object.entries(describedBlocks.safeParse(json.variable).data ?? {})) {
    const body = bodies[0];
    if (body)
      variables.push({ name, description: asString(body.description), required: !("default" in body) });
  }
  for (const [name, bodies] of Object.entries(describedBlocks.safeParse(json.output).data ?? {})) {
    const body = bodies[0];
    if (body) outputs.push({ name, description: asString(body.description) });
  }
  for (const name of Object.keys(typedBlocks.safeParse(json.provider).data ?? {})) implied.add(name);
  for (const kind of [json.resource, json.data]) {
    for (const type of Object.keys(typedBlocks.safeParse(kind).data ?? {}))
      implied.add(type.split("_")[0] ?? type);
  }
  for (const block of terraformBlocks.safeParse(json.terraform).data ?? []) {
    for (const entries of block.required_providers ?? []) {
      for (const [localName, value] of Object.entries(entries)) {
        providers.push(
          typeof value === "string"
            ? { localName, source: undefined, version: value }
            : { localName, source: asString(value.source), version: asString(value.version) },
        );
      }
    }
  }
  // `terraform_remote_state` and friends come from the built-in provider, which is never installed.
  implied.delete("terraform");
  return { moduleCalls, providers, impliedProviders: [...implied].sort(), variables, outputs };
}

/** One directory's configuration from its files', in file order (terraform reads a directory as one body). */
export function mergeModuleConfigs(configs: readonly ModuleConfig[]): ModuleConfig {
  return {
    moduleCalls: configs.flatMap((config) => config.moduleCalls),
    providers: configs.flatMap((config) => config.providers),
    impliedProviders: [...new Set(configs.flatMap((config) => config.impliedProviders))].sort(),
    variables: configs.flatMap((config) => config.variables),
    outputs: configs.flatMap((config) => config.outputs),
  };
}

/**
 * Reads a `.tf.json` file into the shape hcl2json gives `.tf` files: in the JSON syntax a block may be one
 * object or an array of objects, and `"//"` keys are comments.
 */
function jsonSyntaxAsBlocks(content: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(content);
  if (!isObject(parsed)) throw new Error("the top level must be a JSON object");
  const labelled = (value: unknown): unknown =>
    isObject(value)
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => key !== "//")
            .map(([key, body]) => [key, asArray(body)]),
        )
      : value;
  const terraform = asArray(parsed.terraform).map((body) =>
    isObject(body) && "required_providers" in body
      ? { ...body, required_providers: asArray(body.required_providers) }
      : body,
  );
  return {
    ...parsed,
    module: labelled(parsed.module),
    variable: labelled(parsed.variable),
    output: labelled(parsed.output),
    terraform,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asString(value: unknown): string | undefined {
  // Interpolated values (`"${var.x}"`) cannot be resolved statically; treat them as absent.
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}
