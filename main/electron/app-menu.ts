import type { MenuItemConstructorOptions } from "electron";

export interface AppMenuActions {
  /** Opens the data directory (larder.db, the store, the CA) in the file manager. */
  readonly openDataFolder: () => void;
  /** Explains how to put the bundled `larder` CLI on PATH. */
  readonly showCliHelp: () => void;
}

/**
 * The application menu with the usual roles (so copy/paste, zoom, full screen and the macOS app menu behave as
 * users expect), plus Larder's own: the data folder and the CLI on PATH.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  actions: AppMenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === "darwin";
  const larderItems: MenuItemConstructorOptions[] = [
    { label: "Open Data Folder", click: actions.openDataFolder },
    { label: "Use the larder CLI in a Terminal…", click: actions.showCliHelp },
  ];
  return [
    // macOS: the app menu role brings About, Services, Hide, Hide Others, Show All and Quit.
    ...(mac ? [{ role: "appMenu" } as const] : []),
    {
      label: "File",
      submenu: [...larderItems, { type: "separator" }, mac ? { role: "close" } : { role: "quit" }],
    },
    { role: "editMenu" },
    {
      label: "View",
      submenu: [
        { role: "reload" },
        { role: "forceReload" },
        { role: "toggleDevTools" },
        { type: "separator" },
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
      ],
    },
    { role: "windowMenu" },
  ];
}
