import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp dir, and its removal. */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** Creates an empty temp directory named after the test area. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `larder-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
