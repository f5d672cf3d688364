import { z } from "zod";

/**
 * What the desktop app's preload exposes to the UI as `window.larderDesktop`, and the IPC channels behind it.
 * Absent in a browser. The admin token is not in it: the main process signs the window in by setting the same
 * HttpOnly login cookie `/?token=` sets, so the token never reaches a URL or page script.
 */
export const DESKTOP_CHANNELS = {
  openBundle: "larder:open-bundle",
  saveBundle: "larder:save-bundle",
  openSigningKey: "larder:open-signing-key",
  revealFile: "larder:reveal-file",
  notify: "larder:notify",
  appInfo: "larder:app-info",
  openProjectFolder: "larder:open-project-folder",
} as const;
export type DesktopChannel = (typeof DESKTOP_CHANNELS)[keyof typeof DESKTOP_CHANNELS];

/** An absolute path on the Larder machine, as a dialog returns it (no NUL, a sane length). */
const absolutePathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes("\0"), "a path may not contain NUL")
  .refine((path) => path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\"), {
    message: "use an absolute path",
  });

/** The argument each channel accepts; anything else is refused before a handler runs. */
export const desktopArgSchemas = {
  [DESKTOP_CHANNELS.openBundle]: z.undefined(),
  [DESKTOP_CHANNELS.saveBundle]: z
    .object({
      /** The file name the dialog proposes, e.g. `larder-2026-12-04.tar`; never a path. */
      defaultName: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[^/\\\0]+$/, "a file name, not a path"),
    })
    .strict(),
  [DESKTOP_CHANNELS.openSigningKey]: z.undefined(),
  [DESKTOP_CHANNELS.revealFile]: z.object({ path: absolutePathSchema }).strict(),
  [DESKTOP_CHANNELS.notify]: z
    .object({ title: z.string().min(1).max(120), body: z.string().max(1000) })
    .strict(),
  [DESKTOP_CHANNELS.appInfo]: z.undefined(),
  [DESKTOP_CHANNELS.openProjectFolder]: z.undefined(),
} as const satisfies Record<DesktopChannel, z.ZodType>;

/** What `appInfo` answers. */
export const desktopAppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  dataDir: z.string(),
});
export type DesktopAppInfo = z.infer<typeof desktopAppInfoSchema>;

/** The API the preload exposes; every method is one `ipcRenderer.invoke` of its channel. */
export interface DesktopApi {
  /** A bundle file to verify or import, from the native open dialog; null when cancelled. */
  openBundle(): Promise<string | null>;
  /** Where to write an export, from the native save dialog; null when cancelled. */
  saveBundle(defaultName: string): Promise<string | null>;
  /** An armored OpenPGP private key file to sign a bundle with; null when cancelled. */
  openSigningKey(): Promise<string | null>;
  /** Shows the file in the system file manager; false when it does not exist. */
  revealFile(path: string): Promise<boolean>;
  /** A system notification (shown only while the window is not focused). */
  notify(title: string, body: string): Promise<void>;
  appInfo(): Promise<DesktopAppInfo>;
  /** The folder a project's `init` runs in, from the native folder dialog (an absolute path); null when cancelled. */
  openProjectFolder(): Promise<string | null>;
}
