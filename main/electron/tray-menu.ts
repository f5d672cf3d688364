import type { MenuItemConstructorOptions } from "electron";

/** What the tray shows about the mirror, refreshed on every job event and every few seconds. */
export interface TrayState {
  /** e.g. "Serving http://127.0.0.1:7373" or "Attached to larder serve at http://127.0.0.1:7373". */
  readonly serving: string;
  /** Jobs queued or running; null while the server cannot be asked. */
  readonly activeJobs: number | null;
  readonly openAtLogin: boolean;
  /** False where the OS offers no login items the app can set (the setting is then hidden). */
  readonly loginItemsSupported: boolean;
}

export interface TrayActions {
  readonly open: () => void;
  readonly pauseAll: () => void;
  readonly setOpenAtLogin: (enabled: boolean) => void;
  readonly quit: () => void;
}

/** The status line under the serving address. */
export function jobsLine(activeJobs: number | null): string {
  if (activeJobs === null) return "Downloads: unknown (the server does not answer)";
  if (activeJobs === 0) return "No downloads running";
  return activeJobs === 1 ? "1 download running or queued" : `${activeJobs} downloads running or queued`;
}

/**
 * The tray / menu bar menu: the window is closed but the mirror keeps serving, so the menu says what it serves
 * and offers open, pause all, start at login and quit (which stops the server this app runs).
 */
export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { label: state.serving, enabled: false },
    { label: jobsLine(state.activeJobs), enabled: false },
    { type: "separator" },
    { label: "Open Larder", click: actions.open },
    {
      label: "Pause all downloads",
      enabled: state.activeJobs !== null && state.activeJobs > 0,
      click: actions.pauseAll,
    },
    ...(state.loginItemsSupported
      ? [
          { type: "separator" } as const,
          {
            label: "Start Larder at login",
            type: "checkbox",
            checked: state.openAtLogin,
            click: (item: { checked: boolean }) => {
              actions.setOpenAtLogin(item.checked);
            },
          } as const,
        ]
      : []),
    { type: "separator" },
    { label: "Quit Larder", click: actions.quit },
  ];
}
