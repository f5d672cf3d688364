import { z } from "zod";
import {
  capReadme,
  providerNamespaceOf,
  type ModuleDocs,
  type ModuleDocsCall,
  type ModuleDocsInput,
  type ModuleDocsOutput,
  type ModuleDocsProvider,
} from "../core/module-docs.js";
import { decodeEach, describeIssue, dropNulls, type WarningSink } from "./lenient-json.js";

// Both docs shapes are browsing extras, not protocol (terraform-protocols.md §7): every member is optional, nulls
// are dropped first, and an entry that cannot be read is skipped with a warning rather than failing the answer.

const named = z.object({ name: z.string().min(1) });
const text = z.string().optional();

const terraformRootSchema = z.object({
  readme: text,
  inputs: z.array(z.unknown()).optional(),
  outputs: z.array(z.unknown()).optional(),
  dependencies: z.array(z.unknown()).optional(),
  provider_dependencies: z.array(z.unknown()).optional(),
});
const terraformVersionSchema = z.object({ root: terraformRootSchema.optional() });
const terraformInput = named.extend({ description: text, required: z.boolean().optional() });
const terraformOutput = named.extend({ description: text });
const terraformCall = named.extend({ source: z.string().min(1), version: text });
const terraformProvider = named.extend({ namespace: text, source: text, version: text });

const tofuVersionSchema = z.object({
  readme: z.boolean().optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  dependencies: z.array(z.unknown()).optional(),
  providers: z.array(z.unknown()).optional(),
});
const tofuVariable = z.object({ description: text, required: z.boolean().optional() });
const tofuOutput = z.object({ description: text });
const tofuCall = named.extend({ source: z.string().min(1), version_constraint: text });
const tofuProvider = named.extend({ full_name: text, version_constraint: text });

/** `""` and absent are the same to a reader: nothing said. */
const orNull = (value: string | undefined): string | null =>
  value === undefined || value === "" ? null : value;

/**
 * A registry.terraform.io-style `GET /v1/modules/:ns/:name/:system/:version` answer: its `root` module's README,
 * inputs, outputs, module calls and provider dependencies. Undefined when the answer is not that document at all.
 */
export function decodeTerraformModuleVersion(json: unknown, warn: WarningSink): ModuleDocs | undefined {
  const parsed = terraformVersionSchema.safeParse(dropNulls(json));
  if (!parsed.success || parsed.data.root === undefined) return undefined;
  const root = parsed.data.root;
  const each = <T>(schema: z.ZodType<T>, list: readonly unknown[] | undefined, path: string): T[] | null =>
    list === undefined ? null : decodeEach(schema, list, `root.${path}`, warn);
  const inputs = each(terraformInput, root.inputs, "inputs")?.map((input): ModuleDocsInput => ({
    name: input.name,
    description: orNull(input.description),
    required: input.required ?? null,
  }));
  const outputs = each(terraformOutput, root.outputs, "outputs")?.map((output): ModuleDocsOutput => ({
    name: output.name,
    description: orNull(output.description),
  }));
  const calls = each(terraformCall, root.dependencies, "dependencies")?.map((call): ModuleDocsCall => ({
    name: call.name,
    source: call.source,
    version: orNull(call.version),
  }));
  const providers = each(terraformProvider, root.provider_dependencies, "provider_dependencies")?.map(
    (provider): ModuleDocsProvider => ({
      name: provider.name,
      namespace: orNull(provider.namespace) ?? providerNamespaceOf(orNull(provider.source)),
      source: orNull(provider.source),
      version: orNull(provider.version),
    }),
  );
  const readme = orNull(root.readme);
  return {
    readme: readme === null ? null : capReadme(readme),
    dependencies:
      calls === undefined && providers === undefined
        ? null
        : { modules: calls ?? [], providers: providers ?? [] },
    inputs: inputs ?? null,
    outputs: outputs ?? null,
  };
}

/** The parts of api.opentofu.org's module version `index.json`; `hasReadme` says whether README.md is worth asking for. */
export function decodeOpenTofuModuleVersion(
  json: unknown,
  warn: WarningSink,
): { readonly docs: Omit<ModuleDocs, "readme">; readonly hasReadme: boolean } | undefined {
  const parsed = tofuVersionSchema.safeParse(dropNulls(json));
  if (!parsed.success) return undefined;
  const document = parsed.data;
  const entriesOf = <T>(
    schema: z.ZodType<T>,
    map: Record<string, unknown> | undefined,
    path: string,
  ): [string, T][] | null =>
    map === undefined
      ? null
      : Object.entries(map).flatMap(([name, value]): [string, T][] => {
          const entry = schema.safeParse(value);
          if (entry.success) return [[name, entry.data]];
          warn(describeIssue(entry.error, `${path}.${name}`));
          return [];
        });
  const inputs = entriesOf(tofuVariable, document.variables, "variables")?.map(
    ([name, variable]): ModuleDocsInput => ({
      name,
      description: orNull(variable.description),
      required: variable.required ?? null,
    }),
  );
  const outputs = entriesOf(tofuOutput, document.outputs, "outputs")?.map(
    ([name, output]): ModuleDocsOutput => ({ name, description: orNull(output.description) }),
  );
  const calls =
    document.dependencies &&
    decodeEach(tofuCall, document.dependencies, "dependencies", warn).map((call): ModuleDocsCall => ({
      name: call.name,
      source: call.source,
      version: orNull(call.version_constraint),
    }));
  const providers =
    document.providers &&
    decodeEach(tofuProvider, document.providers, "providers", warn).map((provider): ModuleDocsProvider => ({
      name: provider.name,
      namespace: providerNamespaceOf(orNull(provider.full_name)),
      source: orNull(provider.full_name),
      version: orNull(provider.version_constraint),
    }));
  return {
    docs: {
      dependencies:
        calls === undefined && providers === undefined
          ? null
          : { modules: calls ?? [], providers: providers ?? [] },
      inputs: inputs ?? null,
      outputs: outputs ?? null,
    },
    hasReadme: document.readme !== false,
  };
}
