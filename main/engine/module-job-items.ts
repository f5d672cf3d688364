import { formatModuleAddress, parseModuleAddress } from "../core/module-address.js";
import type { NewJobItem } from "../db/job-rows.js";
import type { ModuleJobRequest } from "./job-requests.js";

/** One module version as a job item; its request says whether its dependencies and whose hosts come with it. */
export function moduleItemOf(request: ModuleJobRequest, version: string): NewJobItem {
  const { address } = parseModuleAddress(request.address);
  const suffix = request.withDependencies ? " with dependencies" : "";
  return {
    kind: "module-version",
    label: `module ${formatModuleAddress(address)} ${version}${suffix}`,
    host: address.host,
    refJson: JSON.stringify({
      address: request.address,
      version,
      withDependencies: request.withDependencies,
      platforms: request.platforms,
      ...(request.clients ? { clients: request.clients } : {}),
    }),
  };
}
