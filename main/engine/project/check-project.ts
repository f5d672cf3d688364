import { formatModuleAddress } from "../../core/module-address.js";
import { shellWord } from "../../core/shell-word.js";
import { formatPlatform, type Platform } from "../../core/platform.js";
import { newestMatching, parseVersionConstraint } from "../../core/version-constraint.js";
import type { StoredPackage } from "../../db/provider-repository.js";
import { canonicalConstraints } from "../../core/canonical-constraints.js";
import type { ModuleNeed, ProjectNeeds, ProviderNeed, RemoteModuleNeed } from "./project-walk.js";

/** How a provider of the project stands in the mirror, for one client. */
export interface ProviderStatus {
  readonly address: string;
  /** Normalized, as the lock file records them; "" for none. */
  readonly constraints: string;
  /** The version init would install: the locked one, else the newest stored match; undefined if none. */
  readonly version: string | undefined;
  readonly locked: boolean;
  /** Stored packages of that version for the platforms asked about. */
  readonly packages: readonly StoredPackage[];
  readonly missingPlatforms: readonly string[];
  /** Why init would fail on it, when it would. */
  readonly problem: string | undefined;
  /** Whether mirroring can fix the problem (not when the lock file itself is at odds with the configuration). */
  readonly fixable: boolean;
}

/** How a registry module call stands in the mirror. */
export interface ModuleStatus extends ModuleNeed {
  readonly problem: string | undefined;
}

/** How a git or HTTP module call stands: init fetches it itself, so its host must be reachable. */
export interface RemoteModuleStatus extends RemoteModuleNeed {
  readonly problem: string | undefined;
}

/** Would `init` work offline for one client? Each entry with a problem is what is missing. */
export interface ClientCheck {
  readonly client: ProjectNeeds["client"];
  readonly ok: boolean;
  readonly providers: readonly ProviderStatus[];
  readonly modules: readonly ModuleStatus[];
  /** Fetched by init from their own source (git, HTTP): fine only where init can reach that host. */
  readonly remote: readonly RemoteModuleStatus[];
}

/**
 * Judges a walked project against the stored providers: each needs a version init would pick (the lock file's,
 * else the newest stored one its constraints allow — an offline mirror lists nothing else) stored for every
 * platform asked about; each registry module needs a stored version its constraint allows.
 */
export function checkNeeds(
  needs: ProjectNeeds,
  platforms: readonly Platform[],
  storedPackages: (address: string) => readonly StoredPackage[],
  /** Hosts init can reach where it runs (an internal git server): remote modules there are fine. */
  reachable: readonly string[] = [],
): ClientCheck {
  const providers = needs.providers
    .map((need) => providerStatus(need, platforms, storedPackages(need.address)))
    .sort((a, b) => a.address.localeCompare(b.address));
  const modules = needs.modules.map((need) => ({
    ...need,
    problem:
      need.stored === undefined
        ? `no stored version of ${formatModuleAddress(need.address)}${need.constraint ? ` matches "${need.constraint}"` : ""}`
        : undefined,
  }));
  const reachableHosts = new Set(reachable.map((host) => host.toLowerCase()));
  const remote = needs.remote.map((need) => ({ ...need, problem: remoteProblem(need, reachableHosts) }));
  const ok = [...providers, ...modules, ...remote].every((status) => status.problem === undefined);
  return { client: needs.client, ok, providers, modules, remote };
}

function remoteProblem(need: RemoteModuleNeed, reachable: ReadonlySet<string>): string | undefined {
  switch (need.read) {
    case "unsupported":
      return `${need.reason ?? "Larder cannot read this source"} init fetches it from there itself: vendor it into the repository (a local path) or publish it to a registry`;
    case "failed":
      return `could not be read: ${need.reason ?? "unknown error"}`;
    case "not-read":
      return "not read yet, so what it needs is unknown: larder mirror project reads it and mirrors what it calls";
    case "read":
      if (need.host !== undefined && reachable.has(need.host.toLowerCase())) return undefined;
      return `init fetches it from ${need.host ?? "its source"} itself (Larder serves registry modules only); if init can reach ${need.host ?? "it"} where it runs, say so with --reachable ${need.host ?? "HOST"}`;
  }
}

function providerStatus(
  need: ProviderNeed,
  platforms: readonly Platform[],
  packages: readonly StoredPackage[],
): ProviderStatus {
  let constraints: string;
  try {
    constraints = canonicalConstraints(need.constraints);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return blocked(need, "", reason);
  }
  const versions = [...new Set(packages.map((pkg) => pkg.release.version))];
  const constraint = parseVersionConstraint(need.constraints.join(", "));
  let version: string | undefined;
  if (need.locked) {
    version = need.locked.version;
    if (newestMatching([version], constraint) === undefined)
      return blocked(
        need,
        constraints,
        `the lock file's version ${version} does not match the constraints "${constraints}"; init refuses it too: fix the constraint, or run init -upgrade where the registry is reachable`,
        version,
      );
  } else {
    version = newestMatching(versions, constraint);
  }
  const ofVersion = packages.filter((pkg) => pkg.release.version === version);
  const wanted = platforms.map(formatPlatform);
  const stored = ofVersion.filter((pkg) => wanted.includes(`${pkg.os}_${pkg.arch}`));
  const missingPlatforms = wanted.filter(
    (platform) => !stored.some((pkg) => `${pkg.os}_${pkg.arch}` === platform),
  );
  let problem: string | undefined;
  let fixable = true;
  const lockedHashes = need.locked?.hashes ?? [];
  const unmatched = lockedHashes.length === 0 ? [] : stored.filter((pkg) => !matchesLock(pkg, lockedHashes));
  if (version === undefined) {
    problem =
      versions.length === 0
        ? "not stored"
        : `no stored version matches "${constraints}" (stored: ${versions.join(", ")})`;
  } else if (ofVersion.length === 0) {
    problem = `the locked version ${version} is not stored`;
  } else if (missingPlatforms.length > 0) {
    problem = `${version} is not stored for ${missingPlatforms.join(", ")}`;
  } else if (unmatched.length > 0) {
    // init checks the package against the lock file's h1:/zh: hashes and refuses a mismatch.
    fixable = false;
    problem = `the stored package of ${version} for ${unmatched.map((pkg) => `${pkg.os}_${pkg.arch}`).join(", ")} matches none of the lock file's checksums; init refuses it (a lock file from elsewhere, or an upstream that re-published ${version})`;
  }
  return {
    address: need.address,
    constraints,
    version,
    locked: need.locked !== undefined,
    packages: stored,
    missingPlatforms,
    problem,
    fixable,
  };
}

/** A stored package is the locked one when the lock lists its `h1:` or its archive's `zh:`. */
function matchesLock(pkg: StoredPackage, hashes: readonly string[]): boolean {
  return hashes.includes(pkg.h1) || hashes.includes(`zh:${pkg.archiveBlob}`);
}

function blocked(need: ProviderNeed, constraints: string, problem: string, version?: string): ProviderStatus {
  // The configuration (or its lock file) is at odds with itself: no mirroring fixes that.
  return {
    address: need.address,
    constraints,
    version,
    locked: need.locked !== undefined,
    packages: [],
    missingPlatforms: [],
    problem,
    fixable: false,
  };
}

/**
 * The `larder mirror provider …` command that would store a missing provider (shell-quoted); undefined when
 * mirroring cannot help (the lock file and the constraints disagree, or the stored package is not the locked one).
 */
export function providerFixCommand(
  status: ProviderStatus,
  platforms: readonly Platform[],
): string | undefined {
  if (!status.fixable) return undefined;
  // The locked version if there is one, else the constraints: the newest match is what init would pick.
  const version = status.locked && status.version !== undefined ? status.version : status.constraints;
  const versionFlag = version === "" ? "" : ` --version ${shellWord(version)}`;
  const platformFlags = platforms.map((platform) => ` --platform ${formatPlatform(platform)}`).join("");
  // Fully qualified: a host-less address would be mirrored for every client, not only the one that needs it.
  return `larder mirror provider ${shellWord(status.address)}${versionFlag}${platformFlags}`;
}

/**
 * The `larder mirror module …` command that would store a missing module with what it needs, for the client and
 * platforms checked (its providers are mirrored for those platforms).
 */
export function moduleFixCommand(
  status: ModuleStatus,
  client: string,
  platforms: readonly Platform[],
): string {
  const subdir = status.subdir === "" ? "" : `//${status.subdir}`;
  const versionFlag = status.constraint ? ` --version ${shellWord(status.constraint)}` : "";
  const platformFlags = platforms.map((platform) => ` --platform ${formatPlatform(platform)}`).join("");
  const address = shellWord(`${formatModuleAddress(status.address)}${subdir}`);
  return `larder mirror module ${address}${versionFlag} --for ${client}${platformFlags}`;
}
