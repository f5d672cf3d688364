import type { MenuItemConstructorOptions } from "electron";
import { describe, expect, it } from "vitest";
import { appMenuTemplate } from "../../../main/electron/app-menu.js";
import { cliOnPathHelp } from "../../../main/electron/cli-on-path.js";
import { jobsLine, trayMenuTemplate, type TrayState } from "../../../main/electron/tray-menu.js";

/** Every role and label of a template, submenus flattened, for asserting what a user sees. */
function entries(template: readonly MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    item.role ?? item.label ?? item.type ?? "?",
    ...(Array.isArray(item.submenu) ? entries(item.submenu) : []),
  ]);
}

describe("trayMenuTemplate", () => {
  const state: TrayState = {
    serving: "Serving http://127.0.0.1:7373",
    activeJobs: 2,
    openAtLogin: false,
    loginItemsSupported: true,
  };
  const recorded: string[] = [];
  const actions = {
    open: () => recorded.push("open"),
    pauseAll: () => recorded.push("pause"),
    setOpenAtLogin: (enabled: boolean) => recorded.push(`login ${String(enabled)}`),
    quit: () => recorded.push("quit"),
  };
  const item = (template: MenuItemConstructorOptions[], label: string) => {
    const found = template.find((entry) => entry.label === label);
    if (!found) throw new Error(`no "${label}" in ${entries(template).join(", ")}`);
    return found;
  };
  const click = (entry: MenuItemConstructorOptions, checked = false) => {
    (entry.click as unknown as (item: { checked: boolean }) => void)({ checked });
  };

  it("says what it serves and how many downloads run, as lines that cannot be clicked", () => {
    const template = trayMenuTemplate(state, actions);
    expect(template[0]).toMatchObject({ label: "Serving http://127.0.0.1:7373", enabled: false });
    expect(template[1]).toMatchObject({ label: "2 downloads running or queued", enabled: false });
  });

  it("wires open, pause all, start at login and quit to their actions", () => {
    recorded.length = 0;
    const template = trayMenuTemplate(state, actions);
    click(item(template, "Open Larder"));
    click(item(template, "Pause all downloads"));
    click(item(template, "Start Larder at login"), true);
    click(item(template, "Quit Larder"));
    expect(recorded).toEqual(["open", "pause", "login true", "quit"]);
  });

  it("offers pause all only while something runs", () => {
    for (const activeJobs of [0, null]) {
      const template = trayMenuTemplate({ ...state, activeJobs }, actions);
      expect(item(template, "Pause all downloads").enabled).toBe(false);
    }
    expect(item(trayMenuTemplate(state, actions), "Pause all downloads").enabled).toBe(true);
  });

  it("shows the login setting checked when it is on, and hides it where the OS has none", () => {
    const on = trayMenuTemplate({ ...state, openAtLogin: true }, actions);
    expect(item(on, "Start Larder at login")).toMatchObject({ type: "checkbox", checked: true });
    const none = trayMenuTemplate({ ...state, loginItemsSupported: false }, actions);
    expect(entries(none)).not.toContain("Start Larder at login");
  });

  it.each([
    [null, "Downloads: unknown (the server does not answer)"],
    [0, "No downloads running"],
    [1, "1 download running or queued"],
    [12, "12 downloads running or queued"],
  ])("jobsLine(%s)", (count, line) => {
    expect(jobsLine(count)).toBe(line);
  });
});

describe("appMenuTemplate", () => {
  const actions = { openDataFolder: () => undefined, showCliHelp: () => undefined };

  it("has the usual roles on every platform", () => {
    for (const platform of ["linux", "win32", "darwin"] as const) {
      const all = entries(appMenuTemplate(platform, actions));
      for (const role of ["editMenu", "windowMenu", "reload", "toggleDevTools", "zoomIn", "togglefullscreen"])
        expect(all).toContain(role);
      expect(all).toContain("Open Data Folder");
      expect(all).toContain("Use the larder CLI in a Terminal…");
    }
  });

  it("puts the macOS app menu first there, and Quit in File elsewhere", () => {
    const mac = appMenuTemplate("darwin", actions);
    expect(mac[0]).toEqual({ role: "appMenu" });
    expect(entries(mac)).toContain("close");
    expect(entries(mac)).not.toContain("quit");
    const linux = appMenuTemplate("linux", actions);
    expect(entries(linux)).not.toContain("appMenu");
    expect(entries(linux)).toContain("quit");
  });
});

describe("cliOnPathHelp", () => {
  it("links the app's bin/larder into /usr/local/bin on Linux and macOS", () => {
    const help = cliOnPathHelp("darwin", "/Applications/Larder.app/Contents/Resources", true);
    expect(help.commands).toBe(
      "sudo ln -sf '/Applications/Larder.app/Contents/Resources/bin/larder' /usr/local/bin/larder\nlarder --help",
    );
    expect(cliOnPathHelp("linux", "/opt/Larder/resources", true).commands).toContain(
      "'/opt/Larder/resources/bin/larder'",
    );
  });

  it("adds the app's bin folder to the user PATH on Windows, keeping what is there", () => {
    const help = cliOnPathHelp("win32", "C:/Program Files/Larder/resources", true);
    expect(help.commands).toContain('GetEnvironmentVariable("Path", "User")');
    expect(help.commands).toContain('"$user;C:\\Program Files\\Larder\\resources\\bin", "User"');
  });

  it("does not link into an AppImage's mount, which moves every run: it points at the deb", () => {
    const help = cliOnPathHelp("linux", "/tmp/.mount_LarderXYZ/resources", true, "/home/me/Larder.AppImage");
    expect(help.commands).not.toContain(".mount_");
    expect(help.commands).toContain("/opt/Larder/resources/bin/larder");
    expect(help.summary).toMatch(/Install the deb/);
  });

  it("points a from-source run at npm link in the clone", () => {
    expect(cliOnPathHelp("linux", "/x", false).commands).toBe("npm link\nlarder --help");
  });
});
