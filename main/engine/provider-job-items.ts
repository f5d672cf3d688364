import type { JobItemRecord, NewJobItem } from "../db/job-rows.js";
import { parseStored, providerItemRefSchema } from "./job-requests.js";
import type { PlannedPackage } from "./plan-provider-packages.js";
import { describePackage, type ProviderPackageRef } from "./provider-package-ref.js";

/** A planned package as a job item: queued, or failed at once with the planning refusal. */
export function providerItemOf({ ref, refusal }: PlannedPackage): NewJobItem {
  return {
    kind: "provider-package",
    label: describePackage(ref),
    host: ref.address.host,
    refJson: JSON.stringify({
      ...ref.address,
      version: ref.version,
      os: ref.platform.os,
      arch: ref.platform.arch,
    }),
    ...(refusal === undefined ? {} : { failedReason: refusal }),
  };
}

/** A provider item's stored reference as the engine's package reference. */
export function providerRefOf(item: JobItemRecord): ProviderPackageRef {
  const ref = parseStored(providerItemRefSchema, item.refJson, `item ${item.id}`);
  return {
    address: { host: ref.host, namespace: ref.namespace, type: ref.type },
    version: ref.version,
    platform: { os: ref.os, arch: ref.arch },
  };
}
