import { formatPlatform } from "../core/platform.js";
import { zhHash } from "../core/package-hashes.js";
import { compareVersionStrings, parseVersion } from "../core/version.js";
import type { ListedPlatform, ProviderRepository, ReleaseKey } from "../db/provider-repository.js";
import type { UpstreamProviderVersion, UpstreamSigningKey } from "../upstream/provider-registry-client.js";

/** A provider as the serving side names it: upstream host plus canonical namespace and type. */
export interface ProviderCoordinates {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
}

/** One stored version with the platforms that are complete. */
export interface CatalogVersion {
  readonly version: string;
  readonly protocols: readonly string[];
  readonly platforms: readonly { readonly os: string; readonly arch: string }[];
}

/** Everything the providers.v1 download answer needs, URLs as paths on Larder's own server. */
export interface CatalogDownload {
  readonly protocols: readonly string[];
  readonly os: string;
  readonly arch: string;
  readonly filename: string;
  readonly shasum: string;
  readonly downloadPath: string;
  readonly shasumsPath: string;
  readonly shasumsSignaturePath: string;
  readonly signingKeys: readonly UpstreamSigningKey[];
}

/** One platform of a version for the network mirror's `{version}.json`. */
export interface CatalogArchive {
  readonly platform: string;
  readonly urlPath: string;
  readonly hashes: readonly string[];
}

/** A stored file to send: which blob and what type. */
export interface CatalogFile {
  readonly sha256: string;
  readonly contentType: string;
}

/** Read side of the provider mirror: only complete, verified packages are ever visible here. */
export class ProviderCatalog {
  constructor(private readonly providers: ProviderRepository) {}

  /** Stored versions of a provider, newest last; undefined when nothing is stored. */
  versions(provider: ProviderCoordinates): CatalogVersion[] | undefined {
    const byVersion = new Map<string, ListedPlatform[]>();
    for (const pkg of this.providers.listPlatforms(provider.host, provider.namespace, provider.type)) {
      const list = byVersion.get(pkg.version) ?? [];
      list.push(pkg);
      byVersion.set(pkg.version, list);
    }
    if (byVersion.size === 0) return undefined;
    return [...byVersion.entries()]
      .sort(([a], [b]) => compareVersionStrings(a, b))
      .map(([version, packages]) => ({
        version,
        protocols: packages[0]?.protocols ?? [],
        platforms: packages.map((pkg) => ({ os: pkg.os, arch: pkg.arch })),
      }));
  }

  /** The providers.v1 download answer for one stored package. */
  download(release: ReleaseKey, os: string, arch: string): CatalogDownload | undefined {
    const pkg = this.providers.findPackage(release, os, arch);
    if (!pkg) return undefined;
    const base = releaseFilesPath(release);
    return {
      protocols: pkg.protocols,
      os: pkg.os,
      arch: pkg.arch,
      filename: pkg.filename,
      shasum: pkg.archiveBlob,
      downloadPath: `${base}/${encodeURIComponent(pkg.filename)}`,
      shasumsPath: `${base}/${shasumsName(release)}`,
      shasumsSignaturePath: `${base}/${shasumsName(release)}.sig`,
      signingKeys: JSON.parse(pkg.release.signingKeysJson) as UpstreamSigningKey[],
    };
  }

  /** Archives of one version for the network mirror protocol, with `h1:` and `zh:` for each platform. */
  mirrorArchives(release: ReleaseKey): CatalogArchive[] | undefined {
    const packages = this.providers.listReleasePackages(release);
    if (packages.length === 0) return undefined;
    return packages.map((pkg) => ({
      platform: formatPlatform(pkg),
      urlPath: `${releaseFilesPath(release)}/${encodeURIComponent(pkg.filename)}`,
      hashes: [pkg.h1, zhHash(pkg.archiveBlob)],
    }));
  }

  /** A file under `/files/providers/…`: an archive by its upstream name, or the release's SHA256SUMS / .sig. */
  file(release: ReleaseKey, name: string): CatalogFile | undefined {
    const sums = shasumsName(release);
    if (name === sums || name === `${sums}.sig`) {
      const stored = this.providers.findRelease(release);
      if (!stored) return undefined;
      return name === sums
        ? { sha256: stored.shasumsBlob, contentType: "text/plain; charset=utf-8" }
        : { sha256: stored.signatureBlob, contentType: "application/pgp-signature" };
    }
    const pkg = this.providers.findPackageByFilename(release, name);
    return pkg && { sha256: pkg.archiveBlob, contentType: "application/zip" };
  }
}

/** `/files/providers/HOST/NAMESPACE/TYPE/VERSION`. */
export function releaseFilesPath(release: ReleaseKey): string {
  return `/files/providers/${release.host}/${release.namespace}/${release.type}/${encodeURIComponent(release.version)}`;
}

function shasumsName(release: ReleaseKey): string {
  return `terraform-provider-${release.type}_${release.version}_SHA256SUMS`;
}

/**
 * Stored versions merged with what upstream offers (pull-through): every version either side has, with the
 * platforms of both, since an upstream-only platform is fetched on request. Oldest first.
 */
export function mergeProviderVersions(
  stored: readonly CatalogVersion[],
  upstream: readonly UpstreamProviderVersion[],
): CatalogVersion[] {
  const merged = new Map<
    string,
    { protocols: readonly string[]; platforms: Map<string, { os: string; arch: string }> }
  >();
  for (const entry of [...stored, ...upstream]) {
    const current = merged.get(entry.version) ?? { protocols: entry.protocols, platforms: new Map() };
    for (const platform of entry.platforms)
      current.platforms.set(`${platform.os}_${platform.arch}`, { os: platform.os, arch: platform.arch });
    merged.set(entry.version, current);
  }
  return [...merged.entries()]
    .filter(([version]) => parseVersion(version) !== undefined)
    .sort(([a], [b]) => compareVersionStrings(a, b))
    .map(([version, entry]) => ({
      version,
      protocols: entry.protocols,
      platforms: [...entry.platforms.values()],
    }));
}
