import { BrowserWindow, nativeTheme, shell } from "electron";
import { installWindowGuards } from "./window-guards.js";

/** The window's background before the first paint: the UI's --bg, so opening it does not flash white. */
const BACKGROUND = { light: "#f7f7f9", dark: "#111318" };

/**
 * The app's one window, locked down as the Electron security checklist asks: no Node in the page, a sandboxed
 * preload that exposes only `window.larderDesktop`, no webviews, and the navigation, permission, request and
 * CSP guards of window-guards.ts. It is created hidden and shown once the UI has painted.
 */
export function createDesktopWindow(preload: string, appOrigin: () => string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: "Larder",
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  installWindowGuards(window.webContents, window.webContents.session, appOrigin, (url) => {
    void shell.openExternal(url);
  });
  return window;
}

/**
 * Signs the window in and opens the Mirror page. The main process sets the same HttpOnly, SameSite=Strict login
 * cookie `/?token=` would set (its name carries the port, as admin-auth.ts names it), so the token never appears
 * in a URL, the window's history or page script.
 */
export async function openMirrorPage(window: BrowserWindow, httpUrl: string, token: string): Promise<void> {
  const port = new URL(httpUrl).port || "80";
  await window.webContents.session.cookies.set({
    url: httpUrl,
    name: `larder_admin_${port}`,
    value: token,
    path: "/",
    httpOnly: true,
    sameSite: "strict",
  });
  await window.loadURL(`${httpUrl}/mirror`);
}
