import type { DesktopApi } from "../../shared/desktop-api.js";

/**
 * The desktop app's native API (the preload's `window.larderDesktop`), or undefined in a browser. Pages offer
 * native dialogs with it where a browser can only take a typed path or an upload.
 */
export function desktopApi(): DesktopApi | undefined {
  return (window as Window & { larderDesktop?: DesktopApi }).larderDesktop;
}
