import { execFileSync } from "node:child_process";
import { mkdir, open, readdir, rm } from "node:fs/promises";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FREE_SPACE_MARGIN_BYTES } from "../../../main/store/disk-space.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { runLarder } from "../../helpers/larder-cli.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { ALPHA } from "./download-support.js";

const MIB = 1024 * 1024;

/** Mounts a small tmpfs: a real file system that really fills up. Needs root (CI runs as root). */
function mountTmpfs(dir: string, mebibytes: number): string | undefined {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${mebibytes}m`, "tmpfs", dir], { stdio: "pipe" });
    return undefined;
  } catch (error) {
    return `(skipped: mounting a tmpfs needs root: ${(error as Error).message.split("\n")[0] ?? ""})`;
  }
}

/** Grows a filler file until `dir`'s file system has `leaveBytes` available. */
async function fillUntil(dir: string, leaveBytes: number): Promise<void> {
  const info = await statfs(dir);
  const fill = info.bavail * info.bsize - leaveBytes;
  const handle = await open(join(dir, "filler"), "w");
  const chunk = Buffer.alloc(MIB);
  for (let written = 0; written < fill; written += chunk.length) {
    await handle.write(chunk, 0, Math.min(chunk.length, fill - written));
  }
  await handle.close();
}

const probe = await makeTempDir("full-disk-probe");
const skipReason = mountTmpfs(probe.path, 1);
if (skipReason === undefined) execFileSync("umount", [probe.path]);
await probe.remove();

describe.skipIf(skipReason !== undefined)(`larder mirror on a full disk ${skipReason ?? ""}`, () => {
  let fixture: FixtureUpstream;
  let temp: TempDir;
  let mountPoint: string;
  let dataDir: string;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
    temp = await makeTempDir("full-disk");
    mountPoint = join(temp.path, "disk");
    await mkdir(mountPoint);
    mountTmpfs(mountPoint, 80);
    dataDir = join(mountPoint, "larder");
  });
  afterAll(async () => {
    execFileSync("umount", [mountPoint]);
    await fixture.stop();
    await temp.remove();
  });

  const mirror = (): ReturnType<typeof runLarder> =>
    runLarder([
      ...["mirror", "provider", `${ALPHA.namespace}/${ALPHA.type}`, "--version", ALPHA.version],
      ...["--platform", ALPHA.platform, "--data-dir", dataDir],
      ...["--upstream", `registry.terraform.io=${fixture.url}`],
    ]);

  it("refuses the download with how much room it needs, stores nothing, and works once space is freed", async () => {
    // Create the data dir and its database first, then leave less than the margin a download keeps free.
    expect((await runLarder(["list", "--data-dir", dataDir])).code).toBe(0);
    await fillUntil(mountPoint, FREE_SPACE_MARGIN_BYTES - 2 * MIB);

    const refused = await mirror();
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(
      /needs 65 MiB in .* but only 6[12] MiB are free\. Free some space and try again; nothing was stored\./,
    );
    const listed = JSON.parse((await runLarder(["list", "--json", "--data-dir", dataDir])).stdout) as {
      providers: unknown[];
    };
    expect(listed.providers).toEqual([]);
    expect(await readdir(join(dataDir, "blobs", "sha256")).catch(() => [])).toEqual([]);
    const db = new Database(join(dataDir, "larder.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }

    await rm(join(mountPoint, "filler"));
    const stored = await mirror();
    expect(stored.code, stored.stderr).toBe(0);
    expect((await runLarder(["list", "--data-dir", dataDir])).stdout).toContain(ALPHA.version);
  });
});
