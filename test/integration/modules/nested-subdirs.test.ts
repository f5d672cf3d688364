// Dependencies of modules called through a `//subdir`: a small private registry next to the fixture publishes
// modules whose registry calls and provider requirements live only in subdirectories.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Larder } from "../../../main/engine/larder.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { textFiles } from "../../fixtures/upstream/module-sources.js";
import { buildTarGz, fileEntries } from "../../fixtures/upstream/tar.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";
import { openModuleLarder } from "./module-support.js";

const PRIVATE = "private.example.test";

/** The package root requires fixture/beta; deep/ calls fixture/flat/fixture and requires fixture/alpha. */
const middle = textFiles({
  "main.tf": [
    `terraform {`,
    `  required_providers {`,
    `    beta = {`,
    `      source  = "registry.terraform.io/fixture/beta"`,
    `      version = "~> 0.4.0"`,
    `    }`,
    `  }`,
    `}`,
    ``,
  ].join("\n"),
  "deep/main.tf": [
    `terraform {`,
    `  required_providers {`,
    `    alpha = {`,
    `      source  = "registry.terraform.io/fixture/alpha"`,
    `      version = "~> 1.0"`,
    `    }`,
    `  }`,
    `}`,
    ``,
    `module "flat" {`,
    `  source  = "fixture/flat/fixture"`,
    `  version = "~> 1.1.0"`,
    `}`,
    ``,
  ].join("\n"),
});

const moduleCall = (label: string, source: string): string =>
  `module "${label}" {\n  source  = "${source}"\n  version = "1.0.0"\n}\n`;

/** Only modules/inner calls anything: middle's deep/ subdirectory. */
const outer = textFiles({
  "main.tf": `output "root" {\n  value = "outer root"\n}\n`,
  "modules/inner/main.tf": moduleCall("middle", `${PRIVATE}/acme/middle/sys//deep`),
});

/** Calls middle both at its root and at its deep/ subdirectory. */
const twice = textFiles({
  "main.tf": [
    moduleCall("root", `${PRIVATE}/acme/middle/sys`),
    moduleCall("deep", `${PRIVATE}/acme/middle/sys//deep`),
  ].join("\n"),
});

let fixture: FixtureUpstream;
let registry: Server;
let registryUrl: string;
let temp: TempDir;
let larder: Larder;

/** A modules.v1 registry publishing version 1.0.0 of each archive, with relative download locations. */
async function startPrivateRegistry(): Promise<void> {
  const archives = new Map<string, Uint8Array>();
  for (const [name, files] of [
    ["middle", middle],
    ["outer", outer],
    ["twice", twice],
  ] as const) {
    archives.set(name, await buildTarGz(fileEntries(files)));
  }
  registry = createServer((req, res) => {
    const path = req.url ?? "/";
    const json = (value: unknown): void => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
    };
    const module = /^\/v1\/modules\/acme\/([a-z]+)\/sys\/(versions|1\.0\.0\/download)$/.exec(path);
    const archive = /^\/archives\/([a-z]+)\.tar\.gz$/.exec(path);
    if (path === "/.well-known/terraform.json") json({ "modules.v1": "/v1/modules/" });
    else if (module?.[1] && archives.has(module[1]) && module[2] === "versions")
      json({ modules: [{ versions: [{ version: "1.0.0" }] }] });
    else if (module?.[1] && archives.has(module[1]))
      res.writeHead(204, { "x-terraform-get": `/archives/${module[1]}.tar.gz` }).end();
    else if (archive?.[1] && archives.has(archive[1]))
      res.writeHead(200, { "content-type": "application/gzip" }).end(archives.get(archive[1]));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
  registryUrl = `http://127.0.0.1:${String((registry.address() as AddressInfo).port)}`;
}

beforeAll(async () => {
  fixture = await startFixtureUpstream();
  await startPrivateRegistry();
});

afterAll(async () => {
  registry.closeAllConnections();
  await new Promise((resolve) => registry.close(resolve));
  await fixture.stop();
});

beforeEach(async () => {
  temp = await makeTempDir("modules-subdirs");
  larder = await openModuleLarder(fixture, temp.path, [[PRIVATE, registryUrl]]);
});

afterEach(async () => {
  larder.close();
  await temp.remove();
});

/** "host/namespace/name version" of every stored module version, sorted. */
function storedModules(): string[] {
  return larder
    .moduleInventory()
    .map((entry) => `${entry.host}/${entry.namespace}/${entry.name} ${entry.version}`)
    .sort();
}

function storedProviders(): string[] {
  return larder
    .providerInventory()
    .map(
      (entry) =>
        `${entry.host}/${entry.namespace}/${entry.type} ${entry.version} ${entry.platforms.join(",")}`,
    );
}

describe("dependencies behind //subdir module calls", () => {
  it("reads the requested subdirectory of the first module and the called subdirectory of the next", async () => {
    const report = await larder.mirrorModules({
      address: `${PRIVATE}/acme/outer/sys//modules/inner`,
      versions: [],
      withDependencies: true,
      platforms: ["linux_amd64"],
    });
    expect(report.failed).toEqual([]);
    // Host-less calls inside a private registry's module mean registry.terraform.io, as terraform reads them.
    expect(storedModules()).toEqual([
      `${PRIVATE}/acme/middle 1.0.0`,
      `${PRIVATE}/acme/outer 1.0.0`,
      "registry.terraform.io/fixture/flat 1.1.0",
    ]);
    // Only deep/ is used, so the root's beta requirement is not.
    expect(storedProviders()).toEqual(["registry.terraform.io/fixture/alpha 1.1.0 linux_amd64"]);
  });

  it("one package called at its root and at a subdirectory: stored once, both read", async () => {
    const events: string[] = [];
    const report = await larder.mirrorModules(
      {
        address: `${PRIVATE}/acme/twice/sys`,
        versions: [],
        withDependencies: true,
        platforms: ["linux_amd64"],
      },
      (event) => {
        events.push(`${event.kind} ${event.module.address.name}`);
      },
    );
    expect(report.failed).toEqual([]);
    expect(report.stored.map((ref) => ref.address.name).sort()).toEqual(["flat", "middle", "twice"]);
    expect(report.skipped).toEqual([]);
    expect(events.filter((event) => event.endsWith(" middle"))).toEqual([
      "module-started middle",
      "module-stored middle",
    ]);
    expect(storedProviders().sort()).toEqual([
      "registry.terraform.io/fixture/alpha 1.1.0 linux_amd64",
      "registry.terraform.io/fixture/beta 0.4.0 linux_amd64",
    ]);
  });

  it("the module alone, without dependencies, is stored whole with its subdirectories", async () => {
    const report = await larder.mirrorModules({
      address: `${PRIVATE}/acme/outer/sys//modules/inner`,
      versions: ["1.0.0"],
      withDependencies: false,
      platforms: [],
    });
    expect(report.failed).toEqual([]);
    expect(storedModules()).toEqual([`${PRIVATE}/acme/outer 1.0.0`]);
    expect(larder.moduleInventory()[0]?.upstreamLocation).toBe(`${registryUrl}/archives/outer.tar.gz`);
  });
});
