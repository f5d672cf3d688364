import { openTerraformLarder } from "../../helpers/open-larder.js";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { Larder } from "../../../main/engine/larder.js";
import {
  hostileTypes,
  startFixtureUpstream,
  type FixtureUpstream,
  type HostileType,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

/** Every file below a directory, relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

// The check each hostile package must trip, in words the user sees.
const expectedReason: Record<HostileType, RegExp> = {
  "unknown-key": /not among the registry's signing keys.*unknown issuer/,
  "bad-signature": /SHA256SUMS signature is invalid/,
  "shasum-mismatch": /shasum [0-9a-f]{64} differs from the signed SHA256SUMS line/,
  "sums-mismatch": /shasum [0-9a-f]{64} differs from the signed SHA256SUMS line/,
  "tampered-archive":
    /downloaded archive has sha256 [0-9a-f]{64}, but the registry and its signed SHA256SUMS say/,
  "no-keys": /returned no signing keys/,
  traversal: /is not a plain file name/,
  "truncated-transfer": /connection closed before the transfer finished|transfer ended after/,
  "truncated-zip": /not a valid provider zip/,
  "wrong-platform": /answered with a package for darwin_arm64 instead/,
};

describe("mirroring refuses every hostile package and stores nothing", () => {
  let fixture: FixtureUpstream;
  let temp: TempDir;
  let larder: Larder;

  beforeAll(async () => {
    fixture = await startFixtureUpstream();
  });
  afterAll(async () => {
    await fixture.stop();
  });
  beforeEach(async () => {
    temp = await makeTempDir("refusals");
    larder = await openTerraformLarder({
      dataDir: temp.path,
      upstreams: new Map([["registry.terraform.io", fixture.url]]),
      http: { retries: 1, retryBaseDelayMs: 10 },
    });
  });
  afterEach(async () => {
    larder.close();
    await temp.remove();
  });

  it.each(hostileTypes)("hostile/%s", async (type) => {
    const report = await larder.mirrorProviders({
      address: `hostile/${type}`,
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });
    expect(report.stored).toHaveLength(0);
    expect(report.failed).toHaveLength(1);
    const message = report.failed[0]?.message ?? "";
    expect(message).toMatch(expectedReason[type]);
    expect(message).toContain(`hostile/${type}`);
    expect(larder.providerInventory()).toEqual([]);
    expect(
      larder.catalog.versions({ host: "registry.terraform.io", namespace: "hostile", type }),
    ).toBeUndefined();
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual([]);
    // A transfer cut short keeps its partial file and validators so the next run resumes; nothing else remains.
    const tmp = (await filesUnder(join(temp.path, "tmp"))).map((file) =>
      file.replace(/^.*\/[0-9a-f]{64}/, ""),
    );
    expect(tmp.sort()).toEqual(type === "truncated-transfer" ? [".part", ".part.json"] : []);
  });

  it("keeps what was stored before when a later package fails", async () => {
    await larder.mirrorProviders({
      address: "fixture/alpha",
      versions: ["1.1.0"],
      platforms: ["linux_amd64"],
    });
    const before = await filesUnder(join(temp.path, "blobs"));
    const report = await larder.mirrorProviders({
      address: "hostile/tampered-archive",
      versions: ["1.0.0"],
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toHaveLength(1);
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual(before);
    expect(larder.providerInventory().map((entry) => `${entry.type} ${entry.version}`)).toEqual([
      "alpha 1.1.0",
    ]);
  });

  it("reports a dead upstream with the URL and the cause, storing nothing", async () => {
    const dead = await startFixtureUpstream({ providers: [] });
    await dead.stop();
    const offline = await openTerraformLarder({
      dataDir: join(temp.path, "other"),
      upstreams: new Map([["registry.terraform.io", dead.url]]),
      http: { retries: 1, retryBaseDelayMs: 10 },
    });
    try {
      await expect(
        offline.mirrorProviders({ address: "fixture/alpha", versions: [], platforms: ["linux_amd64"] }),
      ).rejects.toThrow(
        new RegExp(
          `Could not fetch the service discovery document of registry.terraform.io from ${dead.url}.* after 2 attempts: the connection was refused`,
        ),
      );
      expect(offline.providerInventory()).toEqual([]);
    } finally {
      offline.close();
    }
  });

  it("retries 503 and 429 (honouring Retry-After) and then stores the package", async () => {
    fixture.failNext("/v1/providers/fixture/alpha/versions", 503, 1);
    fixture.failNext("/releases/fixture/alpha/1.0.0/", 429, 1);
    fixture.clearRequests();
    const report = await larder.mirrorProviders({
      address: "fixture/alpha",
      versions: ["~> 1.0.0"],
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
    expect(report.stored).toHaveLength(1);
    const versionRequests = fixture.requests.filter((line) => line.endsWith("/fixture/alpha/versions"));
    expect(versionRequests).toHaveLength(2);
  });

  it("names the available platforms when a platform is not offered, and the recent versions when none match", async () => {
    const report = await larder.mirrorProviders({
      address: "fixture/beta",
      versions: ["0.4.0"],
      platforms: ["windows_amd64"],
    });
    expect(report.failed[0]?.message).toMatch(
      /not available upstream; that version offers linux_amd64, linux_arm64/,
    );
    await expect(
      larder.mirrorProviders({ address: "fixture/beta", versions: ["~> 9.0"], platforms: ["linux_amd64"] }),
    ).rejects.toThrow(
      /No version of registry.terraform.io\/fixture\/beta matches "~> 9.0". Newest available: 0.3.0, 0.4.0/,
    );
    await expect(
      larder.mirrorProviders({ address: "fixture/unknown", versions: [], platforms: ["linux_amd64"] }),
    ).rejects.toThrow(
      /Registry registry.terraform.io does not have a provider named registry.terraform.io\/fixture\/unknown/,
    );
  });
});
