// A stored module archive walked in memory: the same dependencies as the unpacked tree, local calls kept inside
// the archive, a missing //subdir refused, files named relative to the archive root.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatModuleAddress } from "../../../main/core/module-address.js";
import { ConfigReader } from "../../../main/engine/config-reader.js";
import { findModuleDependencies } from "../../../main/engine/module-dependencies.js";
import { archiveModuleTree, diskModuleTree } from "../../../main/engine/module-tree.js";
import { packDirectoryToTarGz } from "../../../main/store/archive/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

let temp: TempDir;

beforeEach(async () => {
  temp = await makeTempDir("module-tree");
});

afterEach(async () => {
  await temp.remove();
});

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

const FILES = {
  "main.tf": `module "net" {\n  source = "./modules/net"\n}\nmodule "out" {\n  source = "../outside"\n}\n`,
  "modules/net/main.tf": `module "sg" {\n  source  = "acme/sg/aws"\n  version = "~> 1.0"\n}\n`,
  "modules/net/versions.tf.json": JSON.stringify({
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: ">= 5.0" } } },
  }),
  "modules/net/README.md": "not configuration",
  "modules/git/main.tf": `module "remote" {\n  source = "git::https://example.com/x.git?ref=v1"\n}\n`,
};

describe("archiveModuleTree", () => {
  it("finds what the unpacked tree finds, keeping local calls inside the archive", async () => {
    const src = join(temp.path, "src");
    await write(src, FILES);
    const archive = join(temp.path, "module.tar.gz");
    await packDirectoryToTarGz(src, archive);
    const configs = new ConfigReader(undefined);
    const fromArchive = await findModuleDependencies(
      await archiveModuleTree(archive, "Module test"),
      configs,
      "",
      ["registry.opentofu.org"],
    );
    const fromDisk = await findModuleDependencies(diskModuleTree(src, { open: false }), configs, "", [
      "registry.opentofu.org",
    ]);
    expect(fromArchive).toEqual(fromDisk);
    expect(fromArchive.modules.map((m) => `${formatModuleAddress(m.address)}@${m.version ?? ""}`)).toEqual([
      "registry.opentofu.org/acme/sg/aws@~> 1.0",
    ]);
    expect(fromArchive.providers).toEqual([{ localName: "aws", source: "hashicorp/aws", version: ">= 5.0" }]);
  });

  it("starts at a //subdir, reports external calls from where they are, and refuses a missing subdir", async () => {
    const src = join(temp.path, "src");
    await write(src, FILES);
    const archive = join(temp.path, "module.tar.gz");
    await packDirectoryToTarGz(src, archive);
    const tree = await archiveModuleTree(archive, "Module test");
    const configs = new ConfigReader(undefined);
    const git = await findModuleDependencies(tree, configs, "modules/git", ["registry.terraform.io"]);
    expect(git.external).toEqual([
      { source: "git::https://example.com/x.git?ref=v1", calledFrom: "modules/git" },
    ]);
    await expect(findModuleDependencies(tree, configs, "modules/typo", [])).rejects.toThrow(
      'The module has no subdirectory "modules/typo".',
    );
    await expect(findModuleDependencies(tree, configs, "../x", [])).rejects.toThrow(/no subdirectory/);
  });

  it("names a file that does not parse relative to the archive root", async () => {
    const src = join(temp.path, "src");
    await write(src, {
      "main.tf": `module "a" {\n  source = "./sub"\n}\n`,
      "sub/broken.tf": 'module "x" {\n',
    });
    const archive = join(temp.path, "module.tar.gz");
    await packDirectoryToTarGz(src, archive);
    await expect(
      findModuleDependencies(
        await archiveModuleTree(archive, "Module test"),
        new ConfigReader(undefined),
        "",
        [],
      ),
    ).rejects.toThrow(/^Cannot parse sub\/broken\.tf: /);
  });
});

describe("diskModuleTree", () => {
  it("follows a project's local call outside its directory when open", async () => {
    await write(temp.path, {
      "project/main.tf": `module "shared" {\n  source = "../shared"\n}\n`,
      "shared/main.tf": `module "x" {\n  source  = "acme/x/aws"\n  version = "1.0.0"\n}\n`,
    });
    const project = join(temp.path, "project");
    const open = await findModuleDependencies(
      diskModuleTree(project, { open: true }),
      new ConfigReader(undefined),
      "",
      ["registry.terraform.io"],
    );
    expect(open.modules).toHaveLength(1);
    const closed = await findModuleDependencies(
      diskModuleTree(project, { open: false }),
      new ConfigReader(undefined),
      "",
      ["registry.terraform.io"],
    );
    expect(closed.modules).toHaveLength(0);
  });
});
