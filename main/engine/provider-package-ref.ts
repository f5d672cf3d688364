import type { Platform } from "../core/platform.js";
import { formatPlatform } from "../core/platform.js";
import type { ProviderAddress } from "../core/provider-address.js";
import { formatProviderAddress } from "../core/provider-address.js";

/** One provider version on one platform: the unit that is downloaded, verified and stored. */
export interface ProviderPackageRef {
  readonly address: ProviderAddress;
  readonly version: string;
  readonly platform: Platform;
}

/** `registry.terraform.io/hashicorp/aws 5.1.0 linux_amd64`, for messages and progress lines. */
export function describePackage(ref: ProviderPackageRef): string {
  return `${formatProviderAddress(ref.address)} ${ref.version} ${formatPlatform(ref.platform)}`;
}
