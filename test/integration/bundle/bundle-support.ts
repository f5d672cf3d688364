// Shared helpers for the bundle tests: stock a data directory through the real CLI, read and rewrite bundle tars
// (to craft hostile and tampered bundles), and check that a data directory holds nothing.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import tarStream from "tar-stream";
import { expect } from "vitest";
import type { FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";

/** One entry of a tar, held in memory (test bundles are small). */
export interface TarEntry {
  readonly name: string;
  readonly type: "file" | "symlink" | "directory";
  readonly data: Buffer;
  readonly linkname?: string;
  /** The size written in the header, when a test wants it to differ from the data. */
  readonly size?: number;
}

/** Every default host and GitHub resolve to the fixture. */
export function fixtureUpstreams(fixture: FixtureUpstream): string[] {
  return [
    ["--upstream", `registry.terraform.io=${fixture.url}`],
    ["--upstream", `registry.opentofu.org=${fixture.url}`],
    ["--upstream", `github.com=${fixture.url}/github`],
  ].flat();
}

/** Runs a larder command that must succeed, returning its stdout. */
export async function larderOk(args: readonly string[]): Promise<string> {
  const result = await runLarder(args);
  expect(result.code, `larder ${args.join(" ")}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Mirrors fixture/alpha 1.1.0 on two platforms and the fixture/flat 1.0.0 module into dataDir. */
export async function stockSmallMirror(fixture: FixtureUpstream, dataDir: string): Promise<void> {
  const upstreams = fixtureUpstreams(fixture);
  await larderOk([
    "mirror",
    "provider",
    "fixture/alpha",
    "--version",
    "1.1.0",
    "--platform",
    "linux_amd64",
    "--platform",
    "darwin_arm64",
    "--data-dir",
    dataDir,
    ...upstreams,
  ]);
  await larderOk([
    "mirror",
    "module",
    "registry.opentofu.org/fixture/flat/fixture",
    "--version",
    "1.0.0",
    "--no-dependencies",
    "--data-dir",
    dataDir,
    ...upstreams,
  ]);
}

/** Reads every entry of a (possibly gzipped) tar, in order. */
export async function readTar(file: string): Promise<TarEntry[]> {
  const bytes = await readFile(file);
  const extract = tarStream.extract();
  const entries: TarEntry[] = [];
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const feeding = gzipped
    ? pipeline(Readable.from([bytes]), createGunzip(), extract)
    : pipeline(Readable.from([bytes]), extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    const type = entry.header.type;
    if (type !== "file" && type !== "symlink" && type !== "directory") throw new Error(`unexpected ${type}`);
    entries.push({
      name: entry.header.name,
      type,
      data: Buffer.concat(chunks),
      linkname: type === "symlink" ? entry.header.linkname : undefined,
    });
  }
  await feeding;
  return entries;
}

/** Writes entries as a plain tar, exactly as given (names, types, header sizes). */
export async function writeTar(file: string, entries: readonly TarEntry[]): Promise<void> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (chunk: unknown) => {
    if (Buffer.isBuffer(chunk)) chunks.push(chunk);
  });
  const ended = new Promise<void>((resolve) =>
    pack.on("end", () => {
      resolve();
    }),
  );
  for (const entry of entries) {
    await new Promise<void>((resolve, reject) => {
      if (entry.type === "file") {
        const sink = pack.entry({ name: entry.name, size: entry.size ?? entry.data.length }, (error) => {
          if (error) reject(error);
          else resolve();
        });
        sink.end(entry.data);
      } else {
        pack.entry({ name: entry.name, type: entry.type, linkname: entry.linkname }, (error) => {
          if (error) reject(error);
          else resolve();
        });
      }
    });
  }
  pack.finalize();
  await ended;
  await writeFile(file, Buffer.concat(chunks));
}

/** Rewrites a bundle through `edit`, which may change, drop or add entries. */
export async function rewriteBundle(
  source: string,
  target: string,
  edit: (entries: TarEntry[]) => TarEntry[],
): Promise<void> {
  await writeTar(target, edit(await readTar(source)));
}

/** Flips one bit of one byte of a buffer (the middle byte unless told otherwise). */
export function flipByte(data: Buffer, at = Math.floor(data.length / 2)): Buffer {
  const copy = Buffer.from(data);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** Every file below dir (recursively), as relative paths; [] when dir does not exist. */
export async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

/** Asserts that a data directory holds no provider, module, bundle record, blob or temp file. */
export async function expectNothingImported(dataDir: string): Promise<void> {
  const list = JSON.parse(await larderOk(["list", "--json", "--data-dir", dataDir])) as {
    providers: unknown[];
    modules: unknown[];
  };
  expect(list.providers).toEqual([]);
  expect(list.modules).toEqual([]);
  const history = JSON.parse(await larderOk(["bundle", "list", "--json", "--data-dir", dataDir])) as {
    bundles: unknown[];
  };
  expect(history.bundles).toEqual([]);
  expect(await filesBelow(join(dataDir, "blobs"))).toEqual([]);
  expect(await filesBelow(join(dataDir, "tmp"))).toEqual([]);
}
