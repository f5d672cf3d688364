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

/**
 * Reads the module calls and provider requirements of one module directory's `.tf` files with HashiCorp's
 * HCL parser (compiled to WebAssembly). A file that does not parse is refused with its name.
 */
export async function readModuleConfig(
  files: readonly { name: string; content: string }[],
): Promise<ModuleConfig> {
  // Loaded on first use: importing the parser instantiates its Go WebAssembly runtime (~0.5 s and ~70 MB of
  // RSS), which every `larder` process paid at start although only module mirroring reads HCL.
  const { parse } = await import("@cdktf/hcl2json");
  const moduleCalls: ModuleCall[] = [];
  const providers: ProviderRequirement[] = [];
  const variables: ModuleConfig["variables"][number][] = [];
  const outputs: ModuleConfig["outputs"][number][] = [];
  for (const file of files) {
    let json: Record<string, unknown>;
    try {
      json = await parse(file.name, file.content);
    } catch (error) {
      throw new LarderError(
        "verification_failed",
        `Cannot parse ${file.name}: ${String(error).split("\n")[0] ?? ""}`,
      );
    }
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
  }
  return { moduleCalls, providers, variables, outputs };
}

function asString(value: unknown): string | undefined {
  // Interpolated values (`"${var.x}"`) cannot be resolved statically; treat them as absent.
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}
