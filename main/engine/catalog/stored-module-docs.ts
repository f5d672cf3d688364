import { posix } from "node:path";
import { capReadme, maxReadmeBytes, providerNamespaceOf, type ModuleDocs } from "../../core/module-docs.js";
import type { ModuleVersionRecord } from "../../db/module-repository.js";
import { readTarGzFiles } from "../../store/archive/read-tar-files.js";
import { errorMessage } from "../../core/errors.js";
import { readModuleConfig, type ModuleConfig } from "../module-config.js";

// A root `.tf` file larger than this is generated data, not configuration worth parsing for a docs page.
const maxTfBytes = 1024 * 1024;

/**
 * A stored module version's docs from Larder's own archive, with no request: README.md of the module's root
 * (any case; cut to maxReadmeBytes) and the module calls, required_providers, variables and outputs of the root's
 * `.tf` files, read with the same HCL parsing the mirror walk uses. Local calls stay as written. A `.tf` file that
 * does not parse leaves the README and names the problem instead of failing.
 */
export async function storedModuleDocs(
  archivePath: string,
  record: ModuleVersionRecord,
): Promise<{ readonly docs: ModuleDocs; readonly problem: string | null }> {
  const root = record.subdir;
  const inRoot = (name: string): boolean => posix.dirname(name) === (root === "" ? "." : root);
  const isReadme = (name: string): boolean =>
    inRoot(name) && posix.basename(name).toLowerCase() === "readme.md";
  const isTf = (name: string): boolean => inRoot(name) && name.endsWith(".tf");
  const files = await readTarGzFiles(
    archivePath,
    (name) => isReadme(name) || isTf(name),
    Math.max(maxReadmeBytes, maxTfBytes),
    `The stored archive of module ${record.namespace}/${record.name}/${record.system} ${record.version}`,
  );
  const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");
  // README.md before Readme.md before readme.md: byte order puts upper case first, as a case-sensitive lister would.
  const readmeFile = files
    .filter((file) => isReadme(file.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1))[0];
  const readme = readmeFile ? capReadme(text(readmeFile.bytes)) : null;
  const tf = files
    .filter((file) => isTf(file.name) && !file.truncated)
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((file) => ({ name: file.name, content: text(file.bytes) }));
  let config: ModuleConfig;
  try {
    config = await readModuleConfig(tf);
  } catch (error) {
    // The README is still worth showing when a .tf file does not parse; say why the rest is missing.
    return {
      docs: { readme, dependencies: null, inputs: null, outputs: null },
      problem: errorMessage(error),
    };
  }
  const docs: ModuleDocs = {
    readme,
    dependencies: {
      modules: config.moduleCalls.map((call) => ({
        name: call.name,
        source: call.source,
        version: call.version ?? null,
      })),
      providers: config.providers.map((provider) => ({
        name: provider.localName,
        namespace: providerNamespaceOf(provider.source ?? null),
        source: provider.source ?? null,
        version: provider.version ?? null,
      })),
    },
    inputs: config.variables.map((variable) => ({
      name: variable.name,
      description: variable.description ?? null,
      required: variable.required,
    })),
    outputs: config.outputs.map((output) => ({ name: output.name, description: output.description ?? null })),
  };
  return { docs, problem: null };
}
