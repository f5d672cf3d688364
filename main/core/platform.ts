import { LarderError } from "./errors.js";

/** A target platform of a provider package, as in terraform's `os_arch` notation. */
export interface Platform {
  readonly os: string;
  readonly arch: string;
}

const SEGMENT = /^[a-z0-9]+$/;

/** Parses `linux_amd64` into a platform. */
export function parsePlatform(input: string): Platform {
  const match = /^([a-z0-9]+)_([a-z0-9]+)$/.exec(input.trim().toLowerCase());
  if (!match?.[1] || !match[2]) {
    throw new LarderError(
      "invalid_input",
      `Invalid platform "${input}": expected OS_ARCH such as linux_amd64, darwin_arm64 or windows_amd64.`,
    );
  }
  return { os: match[1], arch: match[2] };
}

/** True when both segments are plain lower-case words (what registries may return). */
export function isValidPlatformSegment(value: string): boolean {
  return SEGMENT.test(value);
}

/** `os_arch`. */
export function formatPlatform(platform: Platform): string {
  return `${platform.os}_${platform.arch}`;
}

const goOs: Partial<Record<string, string>> = { win32: "windows" };
const goArch: Partial<Record<string, string>> = { x64: "amd64", ia32: "386", arm: "arm", arm64: "arm64" };

/** The platform terraform would install for on this machine (Go's GOOS/GOARCH names). */
export function platformOf(nodePlatform: string, nodeArch: string): Platform {
  return { os: goOs[nodePlatform] ?? nodePlatform, arch: goArch[nodeArch] ?? nodeArch };
}
