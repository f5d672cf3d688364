import { openTerraformLarder } from "../../helpers/open-larder.js";
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { Larder } from "../../../main/engine/larder.js";
import type { MirrorEvent, MirrorReport } from "../../../main/engine/mirror-providers.js";
import type { FixtureFile, FixturePackage, FixtureUpstream } from "../../fixtures/upstream/index.js";

/** The package most download tests mirror: small enough to cut at known offsets. */
export const ALPHA = { namespace: "fixture", type: "alpha", version: "1.0.0", platform: "linux_amd64" };

/** The fixture's package for a namespace/type (1.0.0 linux_amd64). */
export function packageOf(fixture: FixtureUpstream, namespace = "fixture", type = "alpha"): FixturePackage {
  return fixture.packageOf(namespace, type, ALPHA.version, ALPHA.platform);
}

/** The request path of a package's archive under /releases/. */
export function archivePath(pkg: FixturePackage): string {
  return `/releases/${pkg.namespace}/${pkg.type}/${pkg.version}/${pkg.filename}`;
}

/** Opens an engine on `dataDir` against the fixture, with fast retries. */
export function openLarder(fixture: FixtureUpstream, dataDir: string): Promise<Larder> {
  return openTerraformLarder({
    dataDir,
    upstreams: new Map([["registry.terraform.io", fixture.url]]),
    http: { retries: 3, retryBaseDelayMs: 10 },
  });
}

/** Mirrors the 1.0.0 linux_amd64 package of a provider. */
export function mirrorOne(
  larder: Larder,
  pkg: FixturePackage,
  onEvent?: (event: MirrorEvent) => void,
  signal?: AbortSignal,
): Promise<MirrorReport> {
  const request = {
    address: `${pkg.namespace}/${pkg.type}`,
    versions: [pkg.version],
    platforms: [`${pkg.os}_${pkg.arch}`],
  };
  return larder.mirrorProviders(request, onEvent, signal);
}

/** The archive requests the fixture saw, e.g. "GET /releases/… range=bytes=100-". */
export function archiveRequests(fixture: FixtureUpstream, pkg: FixturePackage): string[] {
  return fixture.requests.filter((line) => line.startsWith(`GET ${archivePath(pkg)}`));
}

/** Names under `tmp/`, with the 64-hex partial-file stem shortened to "<url>". */
export async function tmpNames(dataDir: string): Promise<string[]> {
  const names = await readdir(join(dataDir, "tmp"));
  return names.map((name) => name.replace(/^[0-9a-f]{64}/, "<url>")).sort();
}

/** Size of the partial file of a URL, or undefined when there is none. */
export async function partialSize(larder: Larder, url: string): Promise<number | undefined> {
  return stat(larder.store.partialPathFor(url)).then(
    (info) => info.size,
    () => undefined,
  );
}

/**
 * terraform's `h1:` (Go dirhash Hash1), written independently of the production code: sha256 over the sorted lines
 * `<hex sha256(content)>  <name>\n`, base64.
 */
export function expectedH1(files: readonly FixtureFile[]): string {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const summary = createHash("sha256");
  for (const file of sorted) {
    summary.update(`${createHash("sha256").update(file.data).digest("hex")}  ${file.name}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

/** The package is visible with the fixture's h1 and sha256, its blob holds exactly the served bytes, tmp/ is empty. */
export async function expectStoredAsServed(larder: Larder, pkg: FixturePackage): Promise<void> {
  const release = {
    host: "registry.terraform.io",
    namespace: pkg.namespace,
    type: pkg.type,
    version: pkg.version,
  };
  expect(larder.catalog.mirrorArchives(release)?.map((archive) => archive.hashes)).toEqual([
    [expectedH1(pkg.files), `zh:${pkg.sha256}`],
  ]);
  expect(new Uint8Array(await readFile(larder.store.pathOf(pkg.sha256)))).toEqual(pkg.zip);
  expect(await tmpNames(larder.dataDir)).toEqual([]);
}
