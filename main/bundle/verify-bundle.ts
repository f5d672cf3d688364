import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobStore } from "../store/blob-store.js";
import { checkBundle } from "./bundle-checks.js";
import { readBundle } from "./bundle-reader.js";
import type { BundleReport } from "./bundle-report.js";

/**
 * `larder bundle verify`: reads the whole bundle into a private temp folder (no data directory involved, nothing
 * kept) and runs every check offline. Hostile structure throws; failed checks are in the report.
 */
export async function verifyBundle(file: string, trustedKey: string | undefined): Promise<BundleReport> {
  const dir = await mkdtemp(join(tmpdir(), "larder-verify-"));
  try {
    const store = new BlobStore(dir);
    await store.open();
    const contents = await readBundle(file, store);
    return await checkBundle(contents, trustedKey);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
