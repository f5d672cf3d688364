import { LarderError } from "./errors.js";

/** A target platform of a provider package, as in terraform's `os_arch` notation. */
export interface Platform {
  readonly os: string;
  readonly arch: string;
}

const SEGMENT = /^[a-z0-9]+$/;

/** The operating systems terraform builds providers for: Go's GOOS values (`go tool dist list`). */
export const KNOWN_OS: readonly string[] =
  "aix android darwin dragonfly freebsd illumos ios js linux netbsd openbsd plan9 solaris wasip1 windows".split(
    " ",
  );

/** The architectures terraform builds providers for: Go's GOARCH values. */
export const KNOWN_ARCH: readonly string[] =
  "386 amd64 arm arm64 loong64 mips mips64 mips64le mipsle ppc64 ppc64le riscv64 s390x wasm".split(" ");

const FORM_HINT = "expected OS_ARCH such as linux_amd64, darwin_arm64 or windows_amd64";

/**
 * Parses a platform a person typed (`--platform`, `linux_amd64`), refusing OS or architecture names Go does not
 * know, so a typo like `linux_amd46` fails before any request instead of as "no such package" after discovery.
 */
export function parsePlatform(input: string): Platform {
  const platform = parsePlatformName(input);
  const unknown = [
    KNOWN_OS.includes(platform.os) ? "" : `unknown OS "${platform.os}"`,
    KNOWN_ARCH.includes(platform.arch) ? "" : `unknown architecture "${platform.arch}"`,
  ].filter((part) => part !== "");
  if (unknown.length > 0) {
    throw new LarderError(
      "invalid_input",
      `Invalid platform "${input}": ${unknown.join(" and ")}. Valid OS names: ${KNOWN_OS.join(", ")}. ` +
        `Valid architectures: ${KNOWN_ARCH.join(", ")}.`,
    );
  }
  return platform;
}

/**
 * Parses the `os_arch` form only, accepting any lower-case words: for names that come from a registry or the
 * mirror (the network mirror's URLs), which may list platforms outside Go's current set.
 */
export function parsePlatformName(input: string): Platform {
  const match = /^([a-z0-9]+)_([a-z0-9]+)$/.exec(input.trim().toLowerCase());
  if (!match?.[1] || !match[2]) {
    throw new LarderError("invalid_input", `Invalid platform "${input}": ${FORM_HINT}.`);
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
