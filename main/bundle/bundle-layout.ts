// Where each kind of file lies inside a bundle. Providers use terraform's packed filesystem-mirror layout with the
// network-mirror JSON beside the zips (as `terraform providers mirror` writes them), so an unpacked bundle's
// providers/ folder works as a filesystem_mirror and as a static network mirror at the same time.

/** Coordinates of one provider release. */
export interface ReleaseCoordinates {
  readonly host: string;
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

/** Coordinates of one module version. */
export interface ModuleCoordinates {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  readonly system: string;
  readonly version: string;
}

/** The folder a provider's zips and JSON share. */
export function providerDir(release: Omit<ReleaseCoordinates, "version">): string {
  return `providers/${release.host}/${release.namespace}/${release.type}`;
}

/** The packed-layout name terraform scans for: terraform-provider-TYPE_VERSION_OS_ARCH.zip. */
export function providerArchiveName(release: ReleaseCoordinates, os: string, arch: string): string {
  return `terraform-provider-${release.type}_${release.version}_${os}_${arch}.zip`;
}

/** Path of a provider archive inside the bundle. */
export function providerArchivePath(release: ReleaseCoordinates, os: string, arch: string): string {
  return `${providerDir(release)}/${providerArchiveName(release, os, arch)}`;
}

/** Path of a release's upstream SHA256SUMS (ignored by filesystem-mirror scans: it does not end in .zip). */
export function providerShasumsPath(release: ReleaseCoordinates): string {
  return `${providerDir(release)}/terraform-provider-${release.type}_${release.version}_SHA256SUMS`;
}

/** Path of the upstream detached signature of that SHA256SUMS. */
export function providerSignaturePath(release: ReleaseCoordinates): string {
  return `${providerShasumsPath(release)}.sig`;
}

/** Network-mirror `index.json` of a provider. */
export function providerIndexPath(provider: Omit<ReleaseCoordinates, "version">): string {
  return `${providerDir(provider)}/index.json`;
}

/** Network-mirror `{version}.json` of a release. */
export function providerVersionPath(release: ReleaseCoordinates): string {
  return `${providerDir(release)}/${release.version}.json`;
}

/** Path of a module version's normalised archive. */
export function moduleArchivePath(module: ModuleCoordinates): string {
  return `modules/${module.host}/${module.namespace}/${module.name}/${module.system}/${module.version}.tar.gz`;
}

export const README_PATH = "README.md";
export const CLI_CONFIG_PATH = "larder.tfrc";
