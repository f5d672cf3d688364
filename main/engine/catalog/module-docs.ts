import { errorMessage } from "../../core/errors.js";
import type { ModuleAddress } from "../../core/module-address.js";
import type { ModuleDocs, ModuleReadme } from "../../core/module-docs.js";
import { parseVersion } from "../../core/version.js";
import type { ModuleVersionKey, ModuleVersionRecord } from "../../db/module-repository.js";
import type { ModuleDocsClient } from "../../upstream/module-docs-client.js";
import {
  moduleDetail,
  type CatalogDetail,
  type CatalogDetailDeps,
  type DetailOptions,
  type ModuleDetailVersion,
} from "./catalog-detail.js";
import { storedModuleDocs } from "./stored-module-docs.js";

/**
 * Where a detail's docs came from: a registry's docs API (`fetched`), the stored archive (`stored`), nowhere
 * because offline and not stored (`offline`), or nowhere because no source had them or they failed
 * (`unavailable`). `version` is the version they describe; `message` says why when it matters.
 */
export interface ModuleDocsInfo {
  readonly status: "fetched" | "stored" | "offline" | "unavailable";
  readonly version: string | null;
  readonly message?: string;
}

/** The docs parts of a module detail, for one version. */
export interface ModuleDetailDocs extends Omit<ModuleDocs, "readme"> {
  readonly readme: (ModuleReadme & { readonly source: "registry" | "stored" }) | null;
  readonly info: ModuleDocsInfo;
}

export interface ModuleDocsDeps {
  readonly client: Pick<ModuleDocsClient, "terraformDocs" | "openTofuDocs">;
  readonly stored: (key: ModuleVersionKey) => ModuleVersionRecord | undefined;
  readonly archivePath: (sha256: string) => string;
}

/** The detail options of a module: which version to document (default: the newest release). */
export interface ModuleDetailOptions extends DetailOptions {
  readonly version?: string;
}

// registry.opentofu.org is a static site of protocol endpoints only; its docs live on api.opentofu.org (§7).
const openTofuRegistry = "registry.opentofu.org";

const none = { readme: null, dependencies: null, inputs: null, outputs: null } as const;

/** A module's versions (moduleDetail) and the docs of one of them: `options.version`, else the newest release. */
export async function moduleDetailWithDocs(
  detailDeps: CatalogDetailDeps,
  docsDeps: ModuleDocsDeps,
  key: ModuleAddress,
  options: ModuleDetailOptions,
): Promise<CatalogDetail<ModuleDetailVersion> & ModuleDetailDocs> {
  const detail = await moduleDetail(detailDeps, key, options);
  const version = options.version ?? newestRelease(detail.versions.map((entry) => entry.version));
  const docs = await moduleDocs(docsDeps, key, version, options.offline === true);
  return { ...detail, ...docs };
}

/**
 * The docs of one module version, never throwing for them: online, the registry's docs (a 404 means it offers
 * none), then the stored archive; offline, the stored archive only, without a request.
 */
export async function moduleDocs(
  deps: ModuleDocsDeps,
  address: ModuleAddress,
  version: string | null,
  offline: boolean,
): Promise<ModuleDetailDocs> {
  if (version === null) {
    return {
      ...none,
      info: { status: "unavailable", version, message: "No version of the module is known." },
    };
  }
  const record = deps.stored({ ...address, version });
  let why: string;
  if (offline) {
    why = "offline, so no registry was asked";
  } else {
    try {
      const fetched =
        address.host === openTofuRegistry
          ? await deps.client.openTofuDocs(address, version)
          : await deps.client.terraformDocs(address, version);
      if (fetched !== undefined) {
        const readme = fetched.readme && { ...fetched.readme, source: "registry" as const };
        return { ...fetched, readme, info: { status: "fetched", version } };
      }
      why = `${address.host === openTofuRegistry ? "api.opentofu.org" : address.host} offers no docs for it`;
    } catch (error) {
      why = `the registry's docs could not be fetched: ${errorMessage(error)}`;
    }
  }
  if (record === undefined) {
    const status = offline ? "offline" : "unavailable";
    return {
      ...none,
      info: { status, version, message: `No docs for ${version}: ${why}, and it is not stored.` },
    };
  }
  try {
    const { docs, problem } = await storedModuleDocs(deps.archivePath(record.archiveBlob), record);
    const readme = docs.readme && { ...docs.readme, source: "stored" as const };
    const message = `Read from the stored archive (${why})${problem === null ? "" : `; ${problem}`}.`;
    return { ...docs, readme, info: { status: "stored", version, message } };
  } catch (error) {
    const message = `No docs for ${version}: ${why}, and the stored archive could not be read: ${errorMessage(error)}`;
    return { ...none, info: { status: "unavailable", version, message } };
  }
}

/** The first version (they come newest first) that is a release, else the first at all; null for none. */
function newestRelease(versions: readonly string[]): string | null {
  const release = versions.find((text) => {
    const parsed = parseVersion(text);
    return parsed !== undefined && parsed.prerelease === "";
  });
  return release ?? versions[0] ?? null;
}
