// How a project is read and judged, with the mirror and the files replaced at the walk's boundary: the lock file
// pins versions over every module's constraints, a git module's registry calls join the tree, the built-in
// provider is not one to install, a stored package the lock file does not vouch for is a problem mirroring cannot
// fix, and every printed command survives a hostile module address.
import { describe, expect, it } from "vitest";
import { parseModuleAddress } from "../../../../main/core/module-address.js";
import { parsePlatform } from "../../../../main/core/platform.js";
import type { ModuleVersionRecord } from "../../../../main/db/module-repository.js";
import type { StoredPackage } from "../../../../main/db/provider-repository.js";
import type { ModuleDependencies } from "../../../../main/engine/module-dependencies.js";
import {
  checkNeeds,
  moduleFixCommand,
  providerFixCommand,
} from "../../../../main/engine/project/check-project.js";
import { parseLockFile } from "../../../../main/engine/project/lock-file.js";
import { walkProject, type ProjectWalkDependencies } from "../../../../main/engine/project/project-walk.js";

const TF = "registry.terraform.io";
const LINUX = parsePlatform("linux_amd64");

function deps(
  root: ModuleDependencies,
  more: Partial<ProjectWalkDependencies> = {},
): ProjectWalkDependencies {
  return {
    readRoot: () => Promise.resolve(root),
    readLockFile: (text, path) => parseLockFile(text, path),
    storedModuleVersions: () => [],
    storedModuleDependencies: () => Promise.resolve({ modules: [], providers: [], external: [] }),
    readRemote: () => Promise.resolve({ status: "not-read" }),
    ...more,
  };
}

function stored(address: string, version: string, h1 = "h1:stored", sha = "a".repeat(64)): StoredPackage {
  const [host = "", namespace = "", type = ""] = address.split("/");
  return {
    os: "linux",
    arch: "amd64",
    filename: `terraform-provider-${type}_${version}_linux_amd64.zip`,
    protocols: ["5.0"],
    archiveBlob: sha,
    size: 10,
    h1,
    downloadUrl: "",
    release: {
      host,
      namespace,
      type,
      version,
      shasumsBlob: "",
      signatureBlob: "",
      signingKeysJson: "",
      verifiedKeyId: "",
      signed: true,
      shasumsUrl: "",
      signatureUrl: "",
    },
  };
}

describe("walkProject", () => {
  it("gathers every constraint on a provider from the root and the modules, and reads a git module's calls", async () => {
    const record = { version: "1.0.0", size: 5 } as unknown as ModuleVersionRecord;
    const needs = await walkProject(
      deps(
        {
          modules: [],
          providers: [
            { localName: "alpha", source: "acme/alpha", version: ">= 1.0.0" },
            { localName: "terraform", source: "terraform.io/builtin/terraform", version: undefined },
          ],
          external: [{ source: "git::https://git.example.com/net.git?ref=v1", calledFrom: "." }],
        },
        {
          readRemote: () =>
            Promise.resolve({
              status: "read",
              fetchedAt: "2026-01-01",
              pinned: true,
              dependencies: {
                modules: [
                  { address: parseModuleAddress("acme/vpc/aws", TF).address, subdir: "", version: "~> 2.0" },
                ],
                providers: [{ localName: "alpha", source: "acme/alpha", version: "~> 1.0" }],
                external: [],
              },
            }),
          storedModuleVersions: (address) =>
            address.name === "vpc" ? [{ ...record, version: "2.1.0" }] : [],
        },
      ),
      "/project",
      "terraform",
    );
    expect(needs.providers).toEqual([
      { address: `${TF}/acme/alpha`, constraints: [">= 1.0.0", "~> 1.0"], locked: undefined },
    ]);
    expect(needs.modules).toEqual([
      expect.objectContaining({
        calledFrom: "git::https://git.example.com/net.git?ref=v1",
        constraint: "~> 2.0",
        stored: "2.1.0",
      }),
    ]);
    expect(needs.remote).toEqual([
      expect.objectContaining({ read: "read", host: "git.example.com", calledFrom: "." }),
    ]);
  });
});

describe("checkNeeds", () => {
  const lock = (version: string, hashes: string[]) => ({
    address: `${TF}/acme/alpha`,
    version,
    constraints: "",
    hashes,
  });

  it("takes the locked version and refuses a stored package the lock file does not vouch for", () => {
    const needFor = (hashes: string[]) => ({
      client: "terraform" as const,
      providers: [{ address: `${TF}/acme/alpha`, constraints: [], locked: lock("1.0.0", hashes) }],
      modules: [],
      remote: [],
      lockFile: undefined,
    });
    const needs = needFor(["h1:other"]);
    const check = checkNeeds(needs, [LINUX], () => [stored(`${TF}/acme/alpha`, "1.0.0")]);
    expect(check.ok).toBe(false);
    const [status] = check.providers;
    expect(status?.problem).toContain("matches none of the lock file's checksums; init refuses it");
    // Mirroring cannot fix it: no command is offered.
    expect(status && providerFixCommand(status, [LINUX])).toBeUndefined();
    // Its zh: (the archive's sha256) vouches for it as well as its h1:.
    const zh = checkNeeds(needFor([`zh:${"a".repeat(64)}`]), [LINUX], () => [
      stored(`${TF}/acme/alpha`, "1.0.0"),
    ]);
    expect(zh.ok).toBe(true);
  });

  it("says a lock file at odds with the constraints needs fixing, not mirroring", () => {
    const check = checkNeeds(
      {
        client: "terraform",
        providers: [{ address: `${TF}/acme/alpha`, constraints: ["~> 2.0"], locked: lock("1.0.0", []) }],
        modules: [],
        remote: [],
        lockFile: undefined,
      },
      [LINUX],
      () => [],
    );
    const [status] = check.providers;
    expect(status?.problem).toContain("fix the constraint, or run init -upgrade");
    expect(status && providerFixCommand(status, [LINUX])).toBeUndefined();
  });

  it("needs a git module's host named reachable, and prints commands quoted against any module address", () => {
    const address = parseModuleAddress("acme/net/aws", TF).address;
    const check = checkNeeds(
      {
        client: "tofu",
        providers: [],
        modules: [
          {
            address,
            subdir: "m/$(touch /tmp/pwned);echo",
            constraint: undefined,
            stored: undefined,
            storedSize: undefined,
            calledFrom: ".",
          },
        ],
        remote: [
          {
            source: "git::https://git.example.com/x.git",
            calledFrom: ".",
            host: "git.example.com",
            read: "read",
            reason: undefined,
            pinned: false,
          },
        ],
        lockFile: undefined,
      },
      [LINUX],
      () => [],
      ["GIT.example.com"],
    );
    expect(check.remote[0]?.problem).toBeUndefined();
    const [module] = check.modules;
    expect(module && moduleFixCommand(module, "tofu", [LINUX])).toBe(
      `larder mirror module '${TF}/acme/net/aws//m/$(touch /tmp/pwned);echo' --for tofu --platform linux_amd64`,
    );
  });
});
