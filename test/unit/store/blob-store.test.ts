import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { BlobStore } from "../../../main/store/blob-store.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let dir: TempDir;
let store: BlobStore;

const bytes = new TextEncoder().encode("terraform-provider-null_3.2.3_linux_amd64.zip bytes\n");
const sha256 = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

async function tmpFiles(): Promise<string[]> {
  return readdir(store.tmpDir);
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

beforeEach(async () => {
  dir = await makeTempDir("blob-store");
  store = new BlobStore(dir.path);
  await store.open();
});

afterEach(async () => {
  await dir.remove();
});

describe("BlobStore stage and commit", () => {
  it("stores the bytes under blobs/sha256/<first two hex>/<hash> and leaves no temp file", async () => {
    const staged = await store.stageBytes(bytes);
    expect(staged).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    expect(await store.has(staged.sha256)).toBe(false);
    const committed = await store.commit(staged);
    expect(committed).toBe(sha256(bytes));
    const path = join(dir.path, "blobs", "sha256", committed.slice(0, 2), committed);
    expect(store.pathOf(committed)).toBe(path);
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
    expect(await store.has(committed, bytes.length)).toBe(true);
    expect(await store.has(committed, bytes.length + 1)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });

  it("hashes a multi-chunk stream or async iterable exactly as the whole", async () => {
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 6), bytes.subarray(6)];
    const fromStream = await store.stage(Readable.from(chunks));
    async function* generate(): AsyncGenerator<Uint8Array> {
      for (const chunk of chunks) {
        await Promise.resolve();
        yield chunk;
      }
    }
    const fromIterable = await store.stage(generate());
    expect(fromStream).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    expect(fromIterable).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
    expect(new Uint8Array(await readFile(fromStream.tempPath))).toEqual(bytes);
  });

  it("treats committing a blob that already exists as a no-op that keeps the original file, touched as in use", async () => {
    const path = store.pathOf(await store.commit(await store.stageBytes(bytes)));
    const before = await stat(path);
    const again = await store.stageBytes(bytes);
    expect(await store.commit(again)).toBe(sha256(bytes));
    const after = await stat(path);
    expect(after.ino).toBe(before.ino);
    // Touched, not rewritten: larder gc keeps a blob an ingest has just reused (see BlobStore.touch).
    expect(after.mtimeMs).toBeGreaterThanOrEqual(before.mtimeMs);
    expect(await tmpFiles()).toEqual([]);
  });

  it("replaces a truncated file left at a blob's path", async () => {
    const path = store.pathOf(sha256(bytes));
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, bytes.subarray(0, 3));
    await store.commit(await store.stageBytes(bytes));
    expect(new Uint8Array(await readFile(path))).toEqual(bytes);
  });

  it("refuses more than maxBytes and removes the partial temp file", async () => {
    const big = new Uint8Array(64 * 1024).fill(7);
    const error = await store
      .stage(Readable.from([big.subarray(0, 1000), big.subarray(1000)]), { maxBytes: 4096 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LarderError);
    expect(error).toMatchObject({
      code: "verification_failed",
      message: "The download is larger than the 4096-byte limit.",
    });
    expect(await tmpFiles()).toEqual([]);
    await expect(
      store.stage(Readable.from([big.subarray(0, 4096)]), { maxBytes: 4096 }),
    ).resolves.toMatchObject({ size: 4096 });
  });

  it("passes a source stream's own error through and removes the partial temp file", async () => {
    const reset = new Error("socket hang up");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes;
      await Promise.resolve();
      throw reset;
    }
    await expect(store.stage(failing())).rejects.toBe(reset);
    expect(await tmpFiles()).toEqual([]);
    const destroyed = new Readable({
      read() {
        this.destroy(new Error("upstream reset"));
      },
    });
    await expect(store.stage(destroyed)).rejects.toThrow(/^upstream reset$/);
    expect(await tmpFiles()).toEqual([]);
  });

  it("reports a storage failure, not a download failure, when the temp folder cannot be written", async () => {
    const unopened = new BlobStore(join(dir.path, "never-opened"));
    await expect(unopened.stageBytes(bytes)).rejects.toMatchObject({
      code: "storage_failed",
      message: expect.stringMatching(/^Cannot write a download to the temp folder: ENOENT/) as unknown,
    });
  });

  it("discards a staged file that failed verification", async () => {
    const staged = await store.stageBytes(bytes);
    await store.discard(staged);
    expect(await tmpFiles()).toEqual([]);
    expect(await store.has(staged.sha256)).toBe(false);
  });
});

describe("BlobStore.open", () => {
  it("creates its folders and sweeps temp files left by an interrupted write", async () => {
    const fresh = new BlobStore(join(dir.path, "fresh"));
    await fresh.open();
    expect(await readdir(join(dir.path, "fresh"))).toEqual(expect.arrayContaining(["blobs", "tmp"]));
    await writeFile(join(fresh.tmpDir, "0123abcd.blob"), "partial");
    await writeFile(join(fresh.tmpDir, "feed.blob"), "");
    const kept = await fresh.commit(await fresh.stageBytes(bytes));
    await new BlobStore(join(dir.path, "fresh")).open();
    expect((await readdir(fresh.tmpDir)).filter((name) => name.endsWith(".blob"))).toEqual([]);
    expect(await fresh.has(kept, bytes.length)).toBe(true);
  });

  it("keeps the temp files of a process that still runs, and sweeps those of one that is gone", async () => {
    const shared = new BlobStore(join(dir.path, "shared"));
    await shared.open();
    const live = shared.stagingPath();
    const liveModule = shared.tempPath("module-", "");
    // A pid that certainly existed and is gone: a child that has exited.
    const gone = spawnSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).stdout.toString();
    const dead = join(shared.tmpDir, `${gone}-0123abcd.blob`);
    const deadModule = join(shared.tmpDir, `module-${gone}-0123abcd`);
    await writeFile(live, "in use");
    await mkdir(liveModule);
    await writeFile(dead, "left over");
    await mkdir(deadModule);
    // Another command (`larder jobs show`) opening the same data dir while this process works.
    await new BlobStore(join(dir.path, "shared")).open();
    expect((await readdir(shared.tmpDir)).sort()).toEqual([basename(live), basename(liveModule)].sort());
  });
});

describe("BlobStore paths and reads", () => {
  it.each([
    "../x",
    `../${"a".repeat(61)}`,
    `${"a".repeat(62)}/.`,
    "A".repeat(64),
    "a".repeat(63),
    "",
    `${"a".repeat(64)}/../../../etc/passwd`,
  ])("refuses %j as a blob name", async (name) => {
    expect(() => store.pathOf(name)).toThrow(
      expect.objectContaining({ code: "invalid_input", message: `Not a sha256: ${name}` }),
    );
    expect(() => store.createReadStream(name)).toThrow(LarderError);
    expect(await store.has(name)).toBe(false);
  });

  it("reads a whole blob or an inclusive byte range", async () => {
    const hash = await store.commit(await store.stageBytes(bytes));
    expect(new Uint8Array(await collect(store.createReadStream(hash)))).toEqual(bytes);
    expect(new Uint8Array(await collect(store.createReadStream(hash, { start: 2, end: 5 })))).toEqual(
      bytes.subarray(2, 6),
    );
  });
});
