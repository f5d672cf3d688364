// Shared helpers for the module integration tests: a Larder pointed at the fixture for every host modules use, and
// reading back what it stored.
import { openTerraformLarder } from "../../helpers/open-larder.js";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile, readlink } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import type { ModuleVersionRecord } from "../../../main/db/module-repository.js";
import { Larder } from "../../../main/engine/larder.js";
import type { FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

// Async on purpose: git over dumb HTTP and the archives are served by the fixture in this very process.
const execFileAsync = promisify(execFile);

/** Tight unpacking bounds, so hostile/bomb (64 MiB of zeros) is refused quickly. */
export const MODULE_LIMITS = { maxEntries: 10_000, maxTotalBytes: 8 * 1024 * 1024 } as const;

/** Both public registries and GitHub resolve to the fixture. */
export function moduleUpstreams(fixture: FixtureUpstream): Map<string, string> {
  return new Map([
    ["registry.terraform.io", fixture.url],
    ["registry.opentofu.org", fixture.url],
    ["github.com", `${fixture.url}/github`],
  ]);
}

/** The same mapping as `--upstream HOST=URL` flags for the CLI. */
export function moduleUpstreamArgs(fixture: FixtureUpstream): string[] {
  return [...moduleUpstreams(fixture)].flatMap(([host, url]) => ["--upstream", `${host}=${url}`]);
}

/** Opens a Larder on dataDir with the module upstreams (plus `extra` hosts), quick retries and MODULE_LIMITS. */
export function openModuleLarder(
  fixture: FixtureUpstream,
  dataDir: string,
  extra: readonly (readonly [string, string])[] = [],
): Promise<Larder> {
  return openTerraformLarder({
    dataDir,
    upstreams: new Map([...moduleUpstreams(fixture), ...extra]),
    http: { retries: 1, retryBaseDelayMs: 10 },
    moduleLimits: MODULE_LIMITS,
  });
}

/** The stored record of one module version, failing the test when it is missing. */
export function storedRecord(
  larder: Larder,
  host: string,
  namespace: string,
  name: string,
  version: string,
): ModuleVersionRecord {
  const found = larder
    .moduleInventory()
    .find(
      (entry) =>
        entry.host === host &&
        entry.namespace === namespace &&
        entry.name === name &&
        entry.version === version,
    );
  expect(found, `${host}/${namespace}/${name} ${version} is stored`).toBeDefined();
  if (!found) throw new Error("unreachable");
  return found;
}

/** One entry of an unpacked tree: files with their text, anything else marked so it shows up in a diff. */
export interface TreeEntry {
  readonly name: string;
  readonly content: string;
}

/** Every non-directory entry below dir, `/`-separated and sorted by name. */
export async function treeUnder(dir: string): Promise<TreeEntry[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const tree: TreeEntry[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(dir, path).split("\\").join("/");
    if (entry.isSymbolicLink()) tree.push({ name, content: `<symlink to ${await readlink(path)}>` });
    else if (entry.isFile()) tree.push({ name, content: await readFile(path, "utf8") });
    else tree.push({ name, content: "<special file>" });
  }
  return tree.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/** Every directory below dir (relative, `/`-separated), to look for `.git` and the like. */
export async function directoriesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"));
}

/** The tree the fixture says a module version holds, in the shape treeUnder returns. */
export function expectedTree(
  fixture: FixtureUpstream,
  namespace: string,
  name: string,
  version: string,
): TreeEntry[] {
  return fixture
    .moduleTreeOf(namespace, name, "fixture", version)
    .map((file) => ({ name: file.name, content: Buffer.from(file.data).toString("utf8") }));
}

/** Unpacks a .tar.gz with the system tar into a fresh temp dir and returns its tree and directories. */
export async function unpackTarGz(
  archive: string,
): Promise<{ tree: TreeEntry[]; directories: string[]; listing: string[] }> {
  const dir = await makeTempDir("module-unpack");
  try {
    await execFileAsync("tar", ["-xzf", archive, "-C", dir.path]);
    const { stdout } = await execFileAsync("tar", ["-tzf", archive]);
    return {
      tree: await treeUnder(dir.path),
      directories: await directoriesUnder(dir.path),
      listing: stdout.split("\n").filter((line) => line !== ""),
    };
  } finally {
    await dir.remove();
  }
}

/** Every file below a directory (absolute paths); an absent directory has none. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

/** Lower-case hex sha256 of a file's bytes. */
export async function sha256OfFile(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** Requests the fixture received that fetch module sources: archives, GitHub tarballs and git. */
export function sourceRequests(fixture: FixtureUpstream): string[] {
  return fixture.requests.filter((request) => /^GET \/(archives|github|git|smart-git)\//.test(request));
}
