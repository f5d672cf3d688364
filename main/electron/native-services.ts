import { app, BrowserWindow, dialog, Notification, shell } from "electron";
import { APP_VERSION } from "../engine/app-version.js";
import type { DesktopServices, FileDialogRequest } from "./ipc-handlers.js";
import { autostartDir, linuxLoginItem, type LoginItem } from "./login-item.js";

/** Shows a system notification, where the desktop has them. */
export function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body }).show();
}

/** Shows a notification unless a Larder window has focus (the user is already looking at the result). */
export function notifyUnlessFocused(title: string, body: string): void {
  if (BrowserWindow.getFocusedWindow() === null) notify(title, body);
}

async function showFileDialog(
  window: BrowserWindow | null,
  request: FileDialogRequest,
): Promise<string | null> {
  const filters = request.filters.map((filter) => ({
    name: filter.name,
    extensions: [...filter.extensions],
  }));
  if (request.kind === "save") {
    const options = { title: request.title, filters, defaultPath: request.defaultName };
    const result = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || result.filePath === "" ? null : result.filePath;
  }
  const options = {
    title: request.title,
    filters,
    properties: [request.kind === "folder" ? ("openDirectory" as const) : ("openFile" as const)],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** The real Electron behind the IPC handlers: dialogs attached to the window, the shell, notifications. */
export function nativeDesktopServices(
  window: () => BrowserWindow | null,
  dataDir: () => string,
): DesktopServices {
  return {
    fileDialog: (request) => showFileDialog(window(), request),
    revealInFolder: (path) => {
      shell.showItemInFolder(path);
    },
    notify: notifyUnlessFocused,
    appInfo: () => ({ version: APP_VERSION, platform: process.platform, dataDir: dataDir() }),
  };
}

/** The arguments the login item starts the app with (Windows matches login items by them, too). */
const LOGIN_ARGS = ["--hidden"];

/**
 * Start at login: Electron's login items on macOS and Windows (started with --hidden, straight to the tray); an
 * XDG autostart entry on Linux, where Electron has none. The command is the AppImage when run as one (its mount
 * path changes each run), else the executable, plus the app's folder when run from source.
 */
export function desktopLoginItem(): LoginItem {
  if (process.platform === "linux") {
    const executable = process.env.APPIMAGE ?? process.execPath;
    return linuxLoginItem(autostartDir(), app.isPackaged ? [executable] : [executable, app.getAppPath()]);
  }
  if (process.platform !== "darwin" && process.platform !== "win32")
    return { supported: false, isEnabled: () => false, setEnabled: () => undefined };
  return {
    supported: true,
    isEnabled: () => app.getLoginItemSettings({ args: LOGIN_ARGS }).openAtLogin,
    setEnabled: (enabled) => {
      app.setLoginItemSettings({ openAtLogin: enabled, args: LOGIN_ARGS });
    },
  };
}
