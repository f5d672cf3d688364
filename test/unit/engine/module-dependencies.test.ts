import { mkdir, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LarderError } from "../../../main/core/errors.js";
import { formatModuleAddress } from "../../../main/core/module-address.js";
import { ConfigReader } from "../../../main/engine/config-reader.js";
import { findModuleDependencies, type ModuleDependencies } from "../../../main/engine/module-dependencies.js";
import { diskModuleTree } from "../../../main/engine/module-tree.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let temp: TempDir;
let tree: string;

beforeEach(async () => {
  temp = await makeTempDir("module-deps");
  tree = join(temp.path, "tree");
  await mkdir(tree);
});

afterEach(async () => {
  await temp.remove();
});

/** Walks the temp tree as a module package (local calls stay inside it), parsing every file afresh. */
const walk = (subdir: string, hosts: readonly string[]): Promise<ModuleDependencies> =>
  findModuleDependencies(diskModuleTree(tree, { open: false }), new ConfigReader(undefined), subdir, hosts);

/** Writes files (path relative to the temp dir → content), creating directories. */
async function write(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(temp.path, path)), { recursive: true });
    await writeFile(join(temp.path, path), content);
  }
}

const call = (name: string, source: string, version?: string): string =>
  `module "${name}" {\n  source = "${source}"\n${version === undefined ? "" : `  version = "${version}"\n`}}\n`;

const providers = (entries: Record<string, string>): string =>
  `terraform {\n  required_providers {\n${Object.entries(entries)
    .map(([name, source]) => `    ${name} = { source = "${source}" }\n`)
    .join("")}  }\n}\n`;

/** Module calls as "address@version", sorted, so tests do not depend on walk order. */
const modulesOf = (deps: ModuleDependencies): string[] =>
  deps.modules.map((m) => `${formatModuleAddress(m.address)}@${m.version ?? "*"}`).sort();

const providersOf = (deps: ModuleDependencies): string[] =>
  deps.providers.map((p) => `${p.localName}=${p.source ?? "?"}`).sort();

describe("findModuleDependencies", () => {
  it("collects registry calls with their constraints and follows local calls within the tree", async () => {
    await write({
      "tree/main.tf":
        call("vpc", "terraform-aws-modules/vpc/aws", "~> 5.0") +
        call("net", "./modules/net") +
        call("git", "git::https://example.com/network.git?ref=v1") +
        call("archive", "https://example.com/x.zip") +
        call("not_registry", "localhost:8443/acme/x/aws", "1.0.0"),
      "tree/versions.tf": providers({ aws: "hashicorp/aws" }),
      "tree/modules/net/main.tf":
        call("sg", "registry.opentofu.org/acme/sg/aws", ">= 1.2.0, < 2.0.0") + call("shared", "../shared"),
      "tree/modules/net/versions.tf": providers({ random: "hashicorp/random" }),
      "tree/modules/shared/label.tf": call("label", "cloudposse/label/null//exports", "0.25.0"),
      "tree/modules/shared/versions.tf": providers({ tls: "hashicorp/tls" }),
    });
    const deps = await walk("", ["registry.terraform.io"]);
    expect(modulesOf(deps)).toEqual([
      "registry.opentofu.org/acme/sg/aws@>= 1.2.0, < 2.0.0",
      "registry.terraform.io/cloudposse/label/null@0.25.0",
      "registry.terraform.io/terraform-aws-modules/vpc/aws@~> 5.0",
    ]);
    expect(providersOf(deps)).toEqual(["aws=hashicorp/aws", "random=hashicorp/random", "tls=hashicorp/tls"]);
  });

  it("applies the default host to host-less calls only", async () => {
    await write({
      "tree/main.tf": call("a", "acme/a/aws") + call("b", "registry.terraform.io/acme/b/aws", "1.0.0"),
    });
    const deps = await walk("", ["registry.opentofu.org"]);
    expect(modulesOf(deps)).toEqual([
      "registry.opentofu.org/acme/a/aws@*",
      "registry.terraform.io/acme/b/aws@1.0.0",
    ]);
  });

  it("follows a host-less call on the default host of every client, an explicit host on that host only", async () => {
    await write({
      "tree/main.tf":
        call("a", "acme/a/aws", "~> 1.0") + call("b", "registry.terraform.io/acme/b/aws", "1.0.0"),
    });
    const deps = await walk("", ["registry.terraform.io", "registry.opentofu.org"]);
    expect(modulesOf(deps)).toEqual([
      "registry.opentofu.org/acme/a/aws@~> 1.0",
      "registry.terraform.io/acme/a/aws@~> 1.0",
      "registry.terraform.io/acme/b/aws@1.0.0",
    ]);
  });

  it("starts at the module's subdirectory and may follow calls up to the rest of the tree", async () => {
    await write({
      "tree/main.tf": call("root_only", "acme/root/aws"),
      "tree/modules/app/main.tf": call("common", "../../common") + call("app_dep", "acme/app/aws", "2.0.0"),
      "tree/common/main.tf": call("common_dep", "acme/common/aws", "3.0.0"),
    });
    const deps = await walk("modules/app", ["registry.terraform.io"]);
    expect(modulesOf(deps)).toEqual([
      "registry.terraform.io/acme/app/aws@2.0.0",
      "registry.terraform.io/acme/common/aws@3.0.0",
    ]);
  });

  it("ignores local calls that leave the tree", async () => {
    await write({
      "tree/main.tf":
        call("outside", "../outside") + call("sneaky", "./modules/../../outside") + call("ok", "acme/ok/aws"),
      "outside/main.tf": call("escaped", "acme/escaped/aws") + providers({ evil: "acme/evil" }),
    });
    const deps = await walk("", ["registry.terraform.io"]);
    expect(modulesOf(deps)).toEqual(["registry.terraform.io/acme/ok/aws@*"]);
    expect(deps.providers).toEqual([]);
  });

  it("reads only .tf files, and only in directories that are called", async () => {
    await write({
      "tree/main.tf": call("a", "acme/a/aws"),
      "tree/terraform.tfvars": 'source = "acme/vars/aws"\n',
      "tree/README.md": call("doc", "acme/doc/aws"),
      "tree/main.tf.bak": call("backup", "acme/backup/aws"),
      "tree/main.tf.disabled": call("disabled", "acme/disabled/aws"),
      "tree/examples/complete/main.tf": call("example", "acme/example/aws"),
      "tree/modules/unused/main.tf": call("unused", "acme/unused/aws"),
    });
    // A directory whose name ends in .tf is not a file to read.
    await mkdir(join(tree, "dir.tf"));
    const deps = await walk("", ["registry.terraform.io"]);
    expect(modulesOf(deps)).toEqual(["registry.terraform.io/acme/a/aws@*"]);
  });

  it("ends on local calls that form a cycle", async () => {
    await write({
      "tree/a/main.tf": call("b", "../b") + call("self", "./"),
      "tree/b/main.tf": call("a", "../a") + call("dep", "acme/dep/aws", "1.0.0"),
    });
    const deps = await walk("a", ["registry.terraform.io"]);
    expect(modulesOf(deps)).toEqual(["registry.terraform.io/acme/dep/aws@1.0.0"]);
  });

  it("refuses a local call to a folder that does not exist, as init does", async () => {
    await write({ "tree/a/main.tf": call("missing", "./nowhere") });
    await expect(walk("a", ["registry.terraform.io"])).rejects.toThrow(
      'Module "missing" in a calls ./nowhere, which does not exist; init fails on it with "Unreadable module directory".',
    );
  });

  it("reads a symlinked .tf file, as init does", async () => {
    await write({ "shared/providers.tf": providers({ aws: "hashicorp/aws" }), "tree/main.tf": "" });
    await symlink(join(temp.path, "shared", "providers.tf"), join(tree, "providers.tf"));
    expect(providersOf(await walk("", ["registry.terraform.io"]))).toEqual(["aws=hashicorp/aws"]);
  });

  it("returns nothing for a module without .tf files", async () => {
    const deps = await walk("", ["registry.terraform.io"]);
    expect(deps).toEqual({ modules: [], providers: [], external: [] });
  });

  it("refuses a followed file that does not parse, naming it relative to the tree", async () => {
    await write({
      "tree/main.tf": call("net", "./modules/net"),
      "tree/modules/net/broken.tf": 'module "x" {\n',
    });
    const error = await walk("", ["registry.terraform.io"]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LarderError);
    expect((error as LarderError).message).toContain(`Cannot parse ${join("modules", "net", "broken.tf")}:`);
  });
});

describe("findModuleDependencies with a missing subdirectory", () => {
  it("refuses a //subdir that the module does not have, as terraform would", async () => {
    await write({ "tree/main.tf": call("a", "acme/a/aws", "1.0.0") });
    await expect(walk("typo", ["registry.terraform.io"])).rejects.toThrow(
      'The module has no subdirectory "typo".',
    );
    await expect(walk("main.tf", ["registry.terraform.io"])).rejects.toThrow(LarderError);
  });
});
