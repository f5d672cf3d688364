import { describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import {
  ensureFreeSpace,
  FREE_SPACE_MARGIN_BYTES,
  type StatfsFunction,
} from "../../../main/store/disk-space.js";

const MIB = 1024 * 1024;

/** A statfs that reports `freeMib` MiB available in 4 KiB blocks and records what it was asked. */
function statfsWith(freeMib: number, asked: string[] = []): StatfsFunction {
  return (path) => {
    asked.push(path);
    return Promise.resolve({ bavail: (freeMib * MIB) / 4096, bsize: 4096 });
  };
}

describe("ensureFreeSpace", () => {
  it("passes when the download plus the 64 MiB margin fits, asking about the given folder", async () => {
    const asked: string[] = [];
    await ensureFreeSpace("/data/tmp", 100 * MIB, "Downloading x", statfsWith(164, asked));
    expect(asked).toEqual(["/data/tmp"]);
    expect(FREE_SPACE_MARGIN_BYTES).toBe(64 * MIB);
  });

  it("refuses with storage_failed, the folder, both sizes in MiB and what to do", async () => {
    const refusal = ensureFreeSpace(
      "/data/tmp",
      100 * MIB,
      "Downloading the archive of provider registry.terraform.io/hashicorp/aws 5.0.0 linux_amd64",
      statfsWith(150.5),
    );
    await expect(refusal).rejects.toBeInstanceOf(LarderError);
    await expect(refusal).rejects.toMatchObject({
      code: "storage_failed",
      status: 500,
      message:
        "Downloading the archive of provider registry.terraform.io/hashicorp/aws 5.0.0 linux_amd64: needs 164 MiB in /data/tmp but only 150 MiB are free. Free some space and try again; nothing was stored.",
    });
  });

  it("keeps the margin even for a small download", async () => {
    await expect(ensureFreeSpace("/d", 1, "Downloading y", statfsWith(64))).rejects.toThrow(
      /Downloading y: needs 65 MiB in \/d but only 64 MiB are free/,
    );
  });

  it("asks nothing when nothing is needed", async () => {
    const asked: string[] = [];
    await ensureFreeSpace("/d", 0, "Downloading z", statfsWith(0, asked));
    expect(asked).toEqual([]);
  });

  it("does not refuse when the free space cannot be read", async () => {
    const failing: StatfsFunction = () => Promise.reject(new Error("ENOSYS: statfs is not supported"));
    await expect(ensureFreeSpace("/d", 10 * MIB, "Downloading z", failing)).resolves.toBeUndefined();
  });

  it("reads the real file system by default", async () => {
    await expect(ensureFreeSpace(process.cwd(), Number.MAX_SAFE_INTEGER, "Downloading z")).rejects.toThrow(
      /needs \d+ MiB in .* but only \d+ MiB are free/,
    );
  });
});
