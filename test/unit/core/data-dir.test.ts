import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultDataDir } from "../../../main/core/data-dir.js";

const home = "/home/ada";

describe("defaultDataDir", () => {
  it.each([
    ["linux", {}, join(home, ".local", "share", "larder")],
    ["linux", { XDG_DATA_HOME: "/xdg/data" }, join("/xdg/data", "larder")],
    ["linux", { XDG_DATA_HOME: "" }, join(home, ".local", "share", "larder")],
    ["freebsd", { XDG_DATA_HOME: "/xdg/data" }, join("/xdg/data", "larder")],
    ["darwin", {}, join(home, "Library", "Application Support", "Larder")],
    ["darwin", { XDG_DATA_HOME: "/xdg/data" }, join(home, "Library", "Application Support", "Larder")],
    [
      "win32",
      { APPDATA: "C:\\Users\\ada\\AppData\\Roaming" },
      join("C:\\Users\\ada\\AppData\\Roaming", "Larder"),
    ],
    ["win32", {}, join(home, "AppData", "Roaming", "Larder")],
    ["win32", { XDG_DATA_HOME: "/xdg/data", APPDATA: "D:\\Roaming" }, join("D:\\Roaming", "Larder")],
  ])("on %s with %j uses %s", (platform, env, expected) => {
    expect(defaultDataDir({ env, platform, homeDir: home })).toBe(expected);
  });

  it.each(["linux", "darwin", "win32"])("prefers LARDER_DATA_DIR on %s", (platform) => {
    const env = { LARDER_DATA_DIR: "/srv/larder", XDG_DATA_HOME: "/xdg/data", APPDATA: "D:\\Roaming" };
    expect(defaultDataDir({ env, platform, homeDir: home })).toBe("/srv/larder");
  });

  it("ignores an empty LARDER_DATA_DIR", () => {
    expect(defaultDataDir({ env: { LARDER_DATA_DIR: "" }, platform: "linux", homeDir: home })).toBe(
      join(home, ".local", "share", "larder"),
    );
  });
});
