import { createHash } from "node:crypto";
import { lstat, mkdir, readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import tarStream from "tar-stream";
import type { Header } from "tar-stream";
import { ZipFile } from "yazl";
import { makeTempDir, type TempDir } from "../../../helpers/temp-dir.js";

/** A tar entry for tests: tar-stream's header plus optional content. */
export type TarItem = Partial<Header> & { readonly name: string; readonly content?: string | Uint8Array };

/** Builds an uncompressed tar with tar-stream's packer, hostile headers included. */
export async function buildTar(items: readonly TarItem[]): Promise<Buffer> {
  const pack = tarStream.pack();
  for (const { content, ...header } of items) {
    const data = typeof content === "string" ? Buffer.from(content) : Buffer.from(content ?? []);
    const isFile = header.type === undefined || header.type === "file";
    pack.entry({ mode: 0o644, mtime: new Date(0), ...header }, isFile ? data : Buffer.alloc(0));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) {
    if (!(chunk instanceof Uint8Array)) throw new Error("tar-stream emitted a non-byte chunk");
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** A gzipped tar, as upstreams serve them. */
export async function buildTarGz(items: readonly TarItem[]): Promise<Buffer> {
  return gzipSync(await buildTar(items));
}

/** Edits the tar header block at offset and recomputes its checksum, for headers tar-stream will not write. */
export function rewriteHeader(tar: Buffer, offset: number, edit: (block: Buffer) => void): Buffer {
  const copy = Buffer.from(tar);
  edit(copy.subarray(offset, offset + 512));
  copy.fill(" ", offset + 148, offset + 156);
  let sum = 0;
  for (let index = offset; index < offset + 512; index += 1) sum += copy[index] ?? 0;
  copy.write(`${sum.toString(8).padStart(6, "0")}\0 `, offset + 148, "latin1");
  return copy;
}

/** A pax record: "<length> <key>=<value>\n", where the length counts the whole record, itself included. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (`${length}${body}`.length !== length) length += 1;
  return `${length}${body}`;
}

/** A zip entry for tests; mode carries Unix type bits (0o120777 for a symlink, 0o020644 for a device). */
export type ZipItem =
  | { readonly directory: string }
  | {
      readonly name: string;
      readonly content: string | Uint8Array;
      readonly mode?: number;
      readonly compress?: boolean;
    };

/** Builds a zip with yazl, which marks entries as made on Unix so modes survive. */
export async function buildZip(items: readonly ZipItem[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const item of items) {
    if ("directory" in item) zip.addEmptyDirectory(item.directory, { forceDosTimestamp: true });
    else {
      const data = typeof item.content === "string" ? Buffer.from(item.content) : Buffer.from(item.content);
      zip.addBuffer(data, item.name, {
        mode: item.mode ?? 0o100644,
        compress: item.compress ?? true,
        // No extended-timestamp extra field: tests that edit central directory records stay simple.
        forceDosTimestamp: true,
      });
    }
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) {
    if (!(chunk instanceof Uint8Array)) throw new Error("yazl emitted a non-byte chunk");
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of a placeholder name, since yazl refuses to write hostile names itself. */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  const source = Buffer.from(from);
  const target = Buffer.from(to);
  if (source.length !== target.length) throw new Error("renameInZip needs names of equal byte length");
  const copy = Buffer.from(zip);
  let at = copy.indexOf(source);
  if (at === -1) throw new Error(`renameInZip: ${from} is not in the zip`);
  while (at !== -1) {
    target.copy(copy, at);
    at = copy.indexOf(source, at + target.length);
  }
  return copy;
}

/** A scratch area: the archive file, the destination, and a sibling that must stay empty. */
export interface Scene {
  readonly temp: TempDir;
  readonly dest: string;
  readonly sibling: string;
  /** Writes the archive bytes to a file beside the destination and returns its path. */
  write(bytes: Uint8Array, name?: string): Promise<string>;
  /** Every path left outside the destination: always just ["dest", "sibling"] and an empty sibling. */
  outside(): Promise<{ root: string[]; sibling: string[] }>;
}

/** Makes a fresh scene; the caller removes scene.temp. */
export async function makeScene(): Promise<Scene> {
  const temp = await makeTempDir("archive");
  const root = join(temp.path, "root");
  const dest = join(root, "dest");
  const sibling = join(root, "sibling");
  await mkdir(dest, { recursive: true });
  await mkdir(sibling);
  return {
    temp,
    dest,
    sibling,
    write: async (bytes, name = "archive") => {
      const path = join(temp.path, name);
      await writeFile(path, bytes);
      return path;
    },
    outside: async () => ({ root: (await readdir(root)).sort(), sibling: await readdir(sibling) }),
  };
}

/** The sha256 of bytes, hex. */
export const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** One line per path under dir, sorted: "d755 a/", "f644 a/b.tf <content>", "l a/c -> b.tf". */
export async function describeTree(dir: string, prefix = ""): Promise<string[]> {
  const lines: string[] = [];
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const relative = `${prefix}${name}`;
    const path = join(dir, relative);
    const stats = await lstat(path);
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isSymbolicLink()) lines.push(`l ${relative} -> ${await readlink(path)}`);
    else if (stats.isDirectory())
      lines.push(`d${mode} ${relative}/`, ...(await describeTree(dir, `${relative}/`)));
    else lines.push(`f${mode} ${relative} ${(await readFile(path)).toString("utf8")}`);
  }
  return lines;
}
