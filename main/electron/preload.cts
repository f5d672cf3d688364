// The window's preload. Sandboxed preloads are CommonJS and may require only `electron`, so the channel names are
// repeated here; their type is the shared table's, so a name that drifts from shared/desktop-api.ts fails to build.
import electron = require("electron");
import type { DESKTOP_CHANNELS, DesktopApi, DesktopAppInfo } from "../../shared/desktop-api.js" with {
  "resolution-mode": "import",
};

const CHANNELS: typeof DESKTOP_CHANNELS = {
  openBundle: "larder:open-bundle",
  saveBundle: "larder:save-bundle",
  openSigningKey: "larder:open-signing-key",
  revealFile: "larder:reveal-file",
  notify: "larder:notify",
  appInfo: "larder:app-info",
  openProjectFolder: "larder:open-project-folder",
};

const invoke = (channel: string, arg?: unknown): Promise<unknown> =>
  electron.ipcRenderer.invoke(channel, arg) as Promise<unknown>;

/** One invoke per method, and nothing else: no ipcRenderer, no Node, no generic send. */
const api: DesktopApi = {
  openBundle: () => invoke(CHANNELS.openBundle) as Promise<string | null>,
  saveBundle: (defaultName) => invoke(CHANNELS.saveBundle, { defaultName }) as Promise<string | null>,
  openSigningKey: () => invoke(CHANNELS.openSigningKey) as Promise<string | null>,
  revealFile: (path) => invoke(CHANNELS.revealFile, { path }) as Promise<boolean>,
  notify: (title, body) => invoke(CHANNELS.notify, { title, body }) as Promise<void>,
  appInfo: () => invoke(CHANNELS.appInfo) as Promise<DesktopAppInfo>,
  openProjectFolder: () => invoke(CHANNELS.openProjectFolder) as Promise<string | null>,
};

electron.contextBridge.exposeInMainWorld("larderDesktop", api);
