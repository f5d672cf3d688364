import { parseModuleAddress } from "../../core/module-address.js";
import type { NewJobItem } from "../../db/job-rows.js";
import type { ModuleVersionKey, ModuleVersionRecord } from "../../db/module-repository.js";
import type { ProviderSizeEstimate, SizeEstimates } from "../catalog/catalog-sizes.js";
import type { ProviderSizeRequest } from "../catalog/package-size-estimator.js";
import { moduleItemRefSchema, parseStored, providerItemRefSchema } from "../job-requests.js";

/** One planned job item with what it weighs. */
export interface SizedPlanItem {
  readonly kind: NewJobItem["kind"];
  readonly label: string;
  readonly stored: boolean;
  /** Exact when stored, the registry's figure or a cached estimate when not; undefined when unknown. */
  readonly size: number | undefined;
  /** Why planning refused it already (a platform the registry does not offer). */
  readonly refusal: string | undefined;
}

/** Where sizes come from: the catalog's bounded estimator, and the stored module versions. */
export interface PlanSizeDependencies {
  readonly providerSizes: (
    host: string,
    namespace: string,
    type: string,
    request: ProviderSizeRequest,
  ) => Promise<SizeEstimates<ProviderSizeEstimate>>;
  readonly findModule: (key: ModuleVersionKey) => ModuleVersionRecord | undefined;
}

/**
 * Sizes a project plan's items: provider packages through the catalog's estimator (stored, cached, the registry's
 * answer, a HEAD; one call per provider, so its look-ups stay bounded), module versions from the mirror when
 * stored (a registry does not say what a module weighs before it is downloaded).
 */
export async function sizePlanItems(
  items: readonly NewJobItem[],
  deps: PlanSizeDependencies,
): Promise<SizedPlanItem[]> {
  const byProvider = new Map<
    string,
    { host: string; namespace: string; type: string; versions: Set<string>; platforms: Set<string> }
  >();
  for (const item of items) {
    if (item.kind !== "provider-package" || item.failedReason !== undefined) continue;
    const ref = parseStored(providerItemRefSchema, item.refJson, item.label);
    const key = `${ref.host}/${ref.namespace}/${ref.type}`;
    const entry = byProvider.get(key) ?? {
      host: ref.host,
      namespace: ref.namespace,
      type: ref.type,
      versions: new Set<string>(),
      platforms: new Set<string>(),
    };
    entry.versions.add(ref.version);
    entry.platforms.add(`${ref.os}_${ref.arch}`);
    byProvider.set(key, entry);
  }
  const estimates = new Map<string, ProviderSizeEstimate>();
  for (const [key, entry] of byProvider) {
    const { sizes } = await deps.providerSizes(entry.host, entry.namespace, entry.type, {
      versions: [...entry.versions],
      platforms: [...entry.platforms],
    });
    for (const size of sizes) estimates.set(`${key} ${size.version} ${size.platform}`, size);
  }
  return items.map((item) => {
    const common = { kind: item.kind, label: item.label, refusal: item.failedReason };
    if (item.kind === "provider-package") {
      const ref = parseStored(providerItemRefSchema, item.refJson, item.label);
      const estimate = estimates.get(
        `${ref.host}/${ref.namespace}/${ref.type} ${ref.version} ${ref.os}_${ref.arch}`,
      );
      return { ...common, stored: estimate?.source === "stored", size: estimate?.size ?? undefined };
    }
    const ref = parseStored(moduleItemRefSchema, item.refJson, item.label);
    const { address } = parseModuleAddress(ref.address);
    const record = deps.findModule({ ...address, version: ref.version });
    return { ...common, stored: record !== undefined, size: record?.size };
  });
}
