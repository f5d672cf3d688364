import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  autostartDir,
  autostartEntry,
  desktopExecArgument,
  linuxLoginItem,
} from "../../../main/electron/login-item.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

describe("autostartEntry", () => {
  it("starts the app hidden, with each argument quoted as the Desktop Entry spec asks", () => {
    const entry = autostartEntry(["/opt/Larder/larder"]);
    expect(entry).toContain("[Desktop Entry]\nType=Application\nName=Larder\n");
    expect(entry).toContain("Exec=/opt/Larder/larder --hidden\n");
    expect(entry.endsWith("\n")).toBe(true);
  });

  it.each([
    ["/opt/Larder/larder", "/opt/Larder/larder"],
    ["/home/me/My Apps/Larder.AppImage", '"/home/me/My Apps/Larder.AppImage"'],
    ['/tmp/a"b', '"/tmp/a\\"b"'],
    ["/tmp/$HOME`x`\\", '"/tmp/\\$HOME\\`x\\`\\\\"'],
  ])("desktopExecArgument(%s)", (argument, quoted) => {
    expect(desktopExecArgument(argument)).toBe(quoted);
  });
});

describe("autostartDir", () => {
  it("uses XDG_CONFIG_HOME, else ~/.config", () => {
    expect(autostartDir({ XDG_CONFIG_HOME: "/cfg" })).toBe("/cfg/autostart");
    expect(autostartDir({ XDG_CONFIG_HOME: "" })).toMatch(/\.config\/autostart$/);
    expect(autostartDir({})).toMatch(/\.config\/autostart$/);
  });
});

describe("linuxLoginItem", () => {
  let temp: TempDir;
  beforeEach(async () => {
    temp = await makeTempDir("login-item");
  });
  afterEach(async () => {
    await temp.remove();
  });

  it("turns on by writing larder.desktop, creating the folder, and off by removing it", async () => {
    const dir = join(temp.path, "config", "autostart");
    const item = linuxLoginItem(dir, ["/usr/bin/electron", "/src/larder"]);
    expect(item.supported).toBe(true);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    expect(await readFile(join(dir, "larder.desktop"), "utf8")).toContain(
      "Exec=/usr/bin/electron /src/larder --hidden",
    );
    expect(await readdir(dir)).toEqual(["larder.desktop"]);
    item.setEnabled(false);
    expect(item.isEnabled()).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it("can be turned off when it was never on, and on twice", () => {
    const item = linuxLoginItem(join(temp.path, "autostart"), ["/opt/Larder/larder"]);
    item.setEnabled(false);
    item.setEnabled(true);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
  });
});
