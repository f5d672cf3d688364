import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import type { Larder } from "../../../main/engine/larder.js";
import {
  hostileModuleNames,
  startFixtureUpstream,
  type FixtureUpstream,
  type HostileModuleName,
} from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { filesUnder, MODULE_LIMITS, openModuleLarder } from "./module-support.js";

// The problem each hostile module must be refused for, in the words the user sees.
const expectedReason: Record<HostileModuleName, RegExp> = {
  traversal: /refused: entry "\.\.\/evil\.tf" has a "\.\." segment/,
  absolute: /refused: entry "\/tmp\/evil\.tf" has an absolute path/,
  "symlink-out": /refused: entry "link" is a symlink that points outside/,
  device: /refused: entry "null" is a character-device/,
  bomb: new RegExp(`refused: it expands to more than ${String(MODULE_LIMITS.maxTotalBytes)} bytes`),
  mislabeled: /not what its name says: expected zip, found gzip/,
  "zip-traversal": /refused: entry "\.\.\/evil\.tf" has a "\.\." segment/,
  "not-found-archive": /\/archives\/hostile-not-found-archive\.tar\.gz failed: HTTP 404/,
};

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
  temp = await makeTempDir("modules-refusals");
  larder = await openModuleLarder(fixture, temp.path);
  fixture.clearRequests();
});

afterEach(async () => {
  larder.close();
  await temp.remove();
});

/** Nothing of a refused module may remain: no rows, no blobs, no temporary files, nothing beside the data. */
async function expectNothingStored(name: string): Promise<void> {
  expect(larder.moduleInventory()).toEqual([]);
  expect(
    larder.moduleCatalog.versions({
      host: "registry.terraform.io",
      namespace: "hostile",
      name,
      system: "fixture",
    }),
  ).toBeUndefined();
  expect(await filesUnder(join(temp.path, "blobs"))).toEqual([]);
  expect(await filesUnder(join(temp.path, "tmp"))).toEqual([]);
  // Where the escaping entries of traversal and symlink-out would have landed.
  expect(existsSync(join(temp.path, "evil.tf"))).toBe(false);
  expect(existsSync(join(temp.path, "outside"))).toBe(false);
}

describe("mirrorModules refuses every hostile module and stores nothing", () => {
  it.each(hostileModuleNames)("hostile/%s", async (name) => {
    const events: string[] = [];
    const report = await larder.mirrorModules(
      { address: `hostile/${name}/fixture`, versions: ["1.0.0"], withDependencies: true, platforms: [] },
      (event) => events.push(event.kind),
    );
    expect(report.stored).toEqual([]);
    expect(report.failed).toHaveLength(1);
    const message = report.failed[0]?.message ?? "";
    expect(message).toContain(`registry.terraform.io/hostile/${name}/fixture 1.0.0`);
    expect(message).toMatch(expectedReason[name]);
    expect(events).toEqual(["module-started", "module-failed"]);
    expect(report.providers).toEqual([]);
    await expectNothingStored(name);
  });

  it("keeps what was stored before when a later module is refused", async () => {
    await larder.mirrorModules({
      address: "fixture/flat/fixture",
      versions: ["1.1.0"],
      withDependencies: false,
      platforms: [],
    });
    const blobs = await filesUnder(join(temp.path, "blobs"));
    expect(blobs).toHaveLength(1);
    const report = await larder.mirrorModules({
      address: "hostile/traversal/fixture",
      versions: ["1.0.0"],
      withDependencies: false,
      platforms: [],
    });
    expect(report.failed).toHaveLength(1);
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual(blobs);
    expect(await filesUnder(join(temp.path, "tmp"))).toEqual([]);
    expect(larder.moduleInventory().map((entry) => `${entry.name} ${entry.version}`)).toEqual(["flat 1.1.0"]);
  });
});

describe("mirrorModules refuses invalid input before any request", () => {
  const cases: readonly { what: string; address: string; versions?: string[]; reason: RegExp }[] = [
    {
      what: "a host without a dot",
      address: "localhost:8443/a/b/c",
      reason:
        /Invalid module address "localhost:8443\/a\/b\/c": the registry host "localhost:8443" must contain a dot/,
    },
    {
      what: "an upper-case target system",
      address: "fixture/flat/Fixture",
      reason: /Invalid module address "fixture\/flat\/Fixture": "Fixture" is not a valid target system/,
    },
    {
      what: "a system with a dash",
      address: "fixture/flat/fix-ture",
      reason: /"fix-ture" is not a valid target system/,
    },
    {
      what: "the github.com host",
      address: "github.com/fixture/flat/fixture",
      reason: /github\.com is not a module registry; use a git source instead/,
    },
    {
      what: "too few parts",
      address: "fixture/flat",
      reason: /Invalid module address "fixture\/flat": expected NAMESPACE\/NAME\/SYSTEM/,
    },
    {
      what: "a malformed version constraint",
      address: "fixture/flat/fixture",
      versions: ["~>> 1"],
      reason: /Invalid version constraint "~>> 1"/,
    },
  ];

  it.each(cases)("$what", async ({ address, versions, reason }) => {
    const attempt = larder.mirrorModules({
      address,
      versions: versions ?? [],
      withDependencies: true,
      platforms: [],
    });
    await expect(attempt).rejects.toThrow(reason);
    await expect(attempt).rejects.toBeInstanceOf(LarderError);
    await expect(attempt).rejects.toMatchObject({ code: "invalid_input" });
    expect(fixture.requests).toEqual([]);
    expect(larder.moduleInventory()).toEqual([]);
  });

  it("a module the registry does not have is named, and nothing is stored", async () => {
    await expect(
      larder.mirrorModules({
        address: "fixture/nothing/fixture",
        versions: [],
        withDependencies: true,
        platforms: [],
      }),
    ).rejects.toThrow(
      /Registry registry\.terraform\.io does not have a module named registry\.terraform\.io\/fixture\/nothing\/fixture/,
    );
    expect(larder.moduleInventory()).toEqual([]);
  });

  it("a constraint no version matches names the module", async () => {
    await expect(
      larder.mirrorModules({
        address: "fixture/flat/fixture",
        versions: ["~> 9.0"],
        withDependencies: true,
        platforms: [],
      }),
    ).rejects.toThrow(/registry\.terraform\.io\/fixture\/flat\/fixture.*"~> 9\.0"/);
    expect(await filesUnder(join(temp.path, "blobs"))).toEqual([]);
  });
});
