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
const resourceBlocks = z.record(
  z.string(),
  z.record(z.string(), z.array(z.looseObject({ provider: z.unknown().optional() }))),
);

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
  const configs: { name: string; config: ModuleConfig }[] = [];
  for (const file of files) configs.push({ name: file.name, config: await parseConfigFile(file) });
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
    // "" when this file does not set it: an override file's module block may change only the version.
    for (const body of bodies)
      moduleCalls.push({ name, source: asString(body.source) ?? "", version: asString(body.version) });
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
  for (const kind of [json.resource, json.data, json.ephemeral]) {
    for (const [type, named] of Object.entries(resourceBlocks.safeParse(kind).data ?? {})) {
      for (const bodies of Object.values(named)) {
        for (const body of bodies) {
          // `provider = google-beta` (or `google.west`) names the provider; else the type's prefix does.
          const chosen = typeof body.provider === "string" ? body.provider.replace(/^\$\{|\}$/g, "") : "";
          implied.add(chosen.split(".")[0] || (type.split("_")[0] ?? type));
        }
      }
    }
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

/** terraform's override files: `override.tf`, `*_override.tf` and their `.tf.json` forms. */
export function isOverrideFile(name: string): boolean {
  const base = name.split("/").pop() ?? name;
  return /^(.*_)?override\.tf(\.json)?$/.test(base);
}

/**
 * One directory's configuration from its files' (terraform reads a directory as one body): the primary files in
 * order, then each override file (in name order) merged into what they declared — a `module` block's `source` and
 * `version`, and each `required_providers` entry, replace the primary's — as terraform merges overrides.
 */
export function mergeModuleConfigs(files: readonly { name: string; config: ModuleConfig }[]): ModuleConfig {
  const primary = files.filter((file) => !isOverrideFile(file.name)).map((file) => file.config);
  const overrides = files.filter((file) => isOverrideFile(file.name)).map((file) => file.config);
  let moduleCalls = primary.flatMap((config) => config.moduleCalls);
  let providers = primary.flatMap((config) => config.providers);
  for (const override of overrides) {
    moduleCalls = moduleCalls.map((call) => {
      const change = override.moduleCalls.find((candidate) => candidate.name === call.name);
      if (!change) return call;
      return {
        name: call.name,
        source: change.source === "" ? call.source : change.source,
        version: change.version ?? call.version,
      };
    });
    providers = providers.map(
      (requirement) => override.providers.find((p) => p.localName === requirement.localName) ?? requirement,
    );
  }
  const all = files.map((file) => file.config);
  return {
    // A module block without a source is invalid (init refuses it); an override's alone changes nothing.
    moduleCalls: moduleCalls.filter((call) => call.source !== ""),
    providers,
    impliedProviders: [...new Set(all.flatMap((config) => config.impliedProviders))].sort(),
    variables: primary.flatMap((config) => config.variables),
    outputs: primary.flatMap((config) => config.outputs),
  };
}

/**
 * Reads a `.tf.json` file into the shape hcl2json gives `.tf` files: in the JSON syntax a block may be one
 * object or an array of objects, and `"//"` keys are comments.
 */
function jsonSyntaxAsBlocks(content: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(content);
  if (!isObject(parsed)) throw new Error("the top level must be a JSON object");
  // A block type may be one object or an array of objects (`"module": [{"a": {…}}, {"b": {…}}]`).
  const merged = (value: unknown): unknown =>
    Array.isArray(value) && value.every(isObject) ? Object.assign({}, ...value) : value;
  const labelled = (value: unknown): unknown => {
    const object = merged(value);
    return isObject(object)
      ? Object.fromEntries(
          Object.entries(object)
            .filter(([key]) => key !== "//")
            .map(([key, body]) => [key, asArray(body)]),
        )
      : object;
  };
  // resource "type" "name" {…}: two labels, each level an object or an array of objects.
  const twiceLabelled = (value: unknown): unknown => {
    const object = merged(value);
    return isObject(object)
      ? Object.fromEntries(
          Object.entries(object)
            .filter(([key]) => key !== "//")
            .map(([key, named]) => [key, labelled(named)]),
        )
      : object;
  };
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
    provider: labelled(parsed.provider),
    resource: twiceLabelled(parsed.resource),
    data: twiceLabelled(parsed.data),
    ephemeral: twiceLabelled(parsed.ephemeral),
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
