import { stat } from "node:fs/promises";
import type { z } from "zod";
import {
  DESKTOP_CHANNELS,
  desktopArgSchemas,
  type DesktopAppInfo,
  type DesktopChannel,
} from "../../shared/desktop-api.js";

/** The frame an IPC message came from, as Electron's `event.senderFrame` gives it (null once it is gone). */
export interface SenderFrame {
  readonly url: string;
  /** null for a top-level frame; an iframe (which the CSP forbids anyway) has a parent. */
  readonly parent: unknown;
}

/** The invoke event as the handlers read it: only its sender frame. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
}

/** A native file or folder dialog: the chosen path, or null when the user cancelled. */
export interface FileDialogRequest {
  /** `folder` picks a directory (filters do not apply to it). */
  readonly kind: "open" | "save" | "folder";
  readonly title: string;
  readonly filters: readonly { readonly name: string; readonly extensions: readonly string[] }[];
  readonly defaultName?: string;
}

/** What the handlers need from Electron and the running app; main.ts supplies the real ones. */
export interface DesktopServices {
  readonly fileDialog: (request: FileDialogRequest) => Promise<string | null>;
  readonly revealInFolder: (path: string) => void;
  readonly notify: (title: string, body: string) => void;
  readonly appInfo: () => DesktopAppInfo;
}

export type IpcHandler = (event: InvokeEvent, arg: unknown) => Promise<unknown>;

/** Refused IPC: the message names why, and the renderer's promise rejects with it. */
export class IpcRefused extends Error {}

/**
 * Only the app's own top-level page may call: an iframe, another origin (a link the window was tricked into
 * following) or a destroyed frame is refused, as the Electron security checklist asks.
 */
export function senderAllowed(frame: SenderFrame | null, appOrigin: string): boolean {
  if (frame === null || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** The argument of `channel`, parsed with its shared schema; an IpcRefused naming the problem otherwise. */
function argumentOf<C extends DesktopChannel>(
  channel: C,
  arg: unknown,
): z.infer<(typeof desktopArgSchemas)[C]> {
  const parsed = desktopArgSchemas[channel].safeParse(arg);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IpcRefused(
      `${channel}: ${issue ? `${issue.path.join(".") || "argument"}: ${issue.message}` : "bad argument"}`,
    );
  }
  return parsed.data as z.infer<(typeof desktopArgSchemas)[C]>;
}

/** One handler per channel of the preload API, each checking its sender and argument before doing anything. */
export function createIpcHandlers(
  services: DesktopServices,
  appOrigin: () => string,
): Record<DesktopChannel, IpcHandler> {
  const guarded =
    <C extends DesktopChannel>(
      channel: C,
      run: (arg: z.infer<(typeof desktopArgSchemas)[C]>) => Promise<unknown>,
    ): IpcHandler =>
    async (event, arg) => {
      if (!senderAllowed(event.senderFrame, appOrigin())) {
        throw new IpcRefused(`${channel}: refused a call from ${event.senderFrame?.url ?? "a closed frame"}`);
      }
      return run(argumentOf(channel, arg));
    };
  const bundles = [{ name: "Larder bundles", extensions: ["tar"] }];
  return {
    [DESKTOP_CHANNELS.openBundle]: guarded(DESKTOP_CHANNELS.openBundle, () =>
      services.fileDialog({ kind: "open", title: "Choose a bundle to verify or import", filters: bundles }),
    ),
    [DESKTOP_CHANNELS.saveBundle]: guarded(DESKTOP_CHANNELS.saveBundle, ({ defaultName }) =>
      services.fileDialog({ kind: "save", title: "Export the bundle to", filters: bundles, defaultName }),
    ),
    [DESKTOP_CHANNELS.openSigningKey]: guarded(DESKTOP_CHANNELS.openSigningKey, () =>
      services.fileDialog({
        kind: "open",
        title: "Choose an armored OpenPGP private key",
        filters: [
          { name: "OpenPGP keys", extensions: ["asc", "gpg", "key", "pgp"] },
          { name: "All files", extensions: ["*"] },
        ],
      }),
    ),
    [DESKTOP_CHANNELS.revealFile]: guarded(DESKTOP_CHANNELS.revealFile, async ({ path }) => {
      const found = await stat(path).then(
        () => true,
        () => false,
      );
      if (found) services.revealInFolder(path);
      return found;
    }),
    [DESKTOP_CHANNELS.notify]: guarded(DESKTOP_CHANNELS.notify, ({ title, body }) => {
      services.notify(title, body);
      return Promise.resolve(undefined);
    }),
    [DESKTOP_CHANNELS.appInfo]: guarded(DESKTOP_CHANNELS.appInfo, () => Promise.resolve(services.appInfo())),
    [DESKTOP_CHANNELS.openProjectFolder]: guarded(DESKTOP_CHANNELS.openProjectFolder, () =>
      services.fileDialog({
        kind: "folder",
        title: "Choose the folder you run terraform init in",
        filters: [],
      }),
    ),
  };
}
