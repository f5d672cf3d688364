import { execFile } from "node:child_process";
import { chmod, copyFile, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
// electron-builder's own loader and schema check (app-builder-lib is the package electron-builder runs).
import { getConfig, validateConfiguration } from "app-builder-lib/out/util/config/config.js";
import { DebugLogger } from "builder-util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const run = promisify(execFile);

/** Width and height of a PNG, from its IHDR chunk. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("electron-builder.yml", () => {
  it("is a configuration electron-builder accepts", async () => {
    const config = await getConfig(root, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe("dev.larder.app");
    expect(config.productName).toBe("Larder");
  });

  it("builds AppImage and deb, a dmg for arm64 and x64, and an nsis installer", async () => {
    const config = await getConfig(root, null, null);
    expect(config.linux?.target).toEqual(["AppImage", "deb"]);
    expect(config.mac?.target).toEqual([{ target: "dmg", arch: ["arm64", "x64"] }]);
    expect(config.win?.target).toEqual([{ target: "nsis", arch: ["x64"] }]);
    expect(config.npmRebuild).toBe(true);
    // The deb links /usr/bin/<executableName> to the app: that must not shadow the `larder` CLI.
    expect(config.linux?.executableName).toBe("larder-desktop");
  });

  it("ships the CLI wrapper on every platform, from files that exist", async () => {
    const config = await getConfig(root, null, null);
    for (const platform of [config.linux, config.mac, config.win]) {
      const extra = platform?.extraResources as { from: string; to: string }[] | undefined;
      expect(extra?.length).toBe(1);
      for (const { from, to } of extra ?? []) {
        await expect(readFile(join(root, from))).resolves.toBeDefined();
        expect(to).toMatch(/^bin\/larder(\.cmd)?$/);
      }
    }
  });
});

describe("resources/", () => {
  it("has a 1024×1024 icon.png for the .icns and .ico", async () => {
    expect(await pngSize(join(root, "resources/icon.png"))).toEqual({ width: 1024, height: 1024 });
  });

  it.each([16, 24, 32, 48, 64, 128, 256, 512])("has the %i px Linux icon", async (size) => {
    expect(await pngSize(join(root, `resources/icons/${size}x${size}.png`))).toEqual({
      width: size,
      height: size,
    });
  });

  it.each([
    ["tray.png", 32],
    ["tray@2x.png", 64],
    ["trayTemplate.png", 16],
    ["trayTemplate@2x.png", 32],
  ])("has the tray image %s at %i px", async (file, size) => {
    expect(await pngSize(join(root, "resources/tray", file))).toEqual({ width: size, height: size });
  });
});

describe("resources/bin/larder, the CLI inside the app", () => {
  let temp: TempDir;
  let resources: string;
  beforeAll(async () => {
    // The Linux layout of an installed app: /opt/Larder/larder-desktop and /opt/Larder/resources/bin/larder. The
    // app binary is a stand-in that prints what it was started with.
    temp = await makeTempDir("cli-wrapper");
    const app = join(temp.path, "opt", "Larder");
    resources = join(app, "resources");
    await mkdir(join(resources, "bin"), { recursive: true });
    await copyFile(join(root, "resources/bin/larder"), join(resources, "bin", "larder"));
    await chmod(join(resources, "bin", "larder"), 0o755);
    await writeFile(
      join(app, "larder-desktop"),
      '#!/bin/sh\necho "RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "ARG=$a"; done\n',
      { mode: 0o755 },
    );
    await mkdir(join(temp.path, "usr-local-bin"));
    await symlink(join(resources, "bin", "larder"), join(temp.path, "usr-local-bin", "larder"));
    await symlink("../usr-local-bin/larder", join(temp.path, "opt", "relative-link"));
  });
  afterAll(async () => {
    await temp.remove();
  });

  it.each([
    ["directly", () => join(resources, "bin", "larder")],
    ["through an absolute symlink on PATH", () => join(temp.path, "usr-local-bin", "larder")],
    ["through a chain with a relative symlink", () => join(temp.path, "opt", "relative-link")],
  ])(
    "runs the app binary as Node on the app's bin/larder.js with the arguments, %s",
    async (_how, command) => {
      const { stdout } = await run(command(), ["mirror", "hashicorp/aws", "--version", "~> 6.0"]);
      expect(stdout.trim().split("\n")).toEqual([
        "RUN_AS_NODE=1",
        `ARG=${join(resources, "app.asar", "bin", "larder.js")}`,
        "ARG=mirror",
        "ARG=hashicorp/aws",
        "ARG=--version",
        "ARG=~> 6.0",
      ]);
    },
  );

  it("has a Windows twin that does the same with Larder.exe", async () => {
    const cmd = await readFile(join(root, "resources/bin/larder.cmd"), "utf8");
    expect(cmd).toContain("set ELECTRON_RUN_AS_NODE=1");
    expect(cmd).toContain('"%~dp0..\\..\\Larder.exe" "%~dp0..\\app.asar\\bin\\larder.js" %*');
    expect(cmd).toContain("\r\n");
  });
});
