import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** "Start Larder at login", however the OS does it. */
export interface LoginItem {
  readonly supported: boolean;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** Quotes one Exec argument as the Desktop Entry spec asks (double quotes; \, ", ` and $ escaped). */
export function desktopExecArgument(argument: string): string {
  if (/^[A-Za-z0-9_./:=-]+$/.test(argument)) return argument;
  return `"${argument.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/** The autostart entry for Linux desktops (XDG Autostart): starts the app hidden, in the tray. */
export function autostartEntry(command: readonly string[]): string {
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Name=Larder",
    "Comment=Terraform and OpenTofu mirror",
    `Exec=${[...command, "--hidden"].map(desktopExecArgument).join(" ")}`,
    "Terminal=false",
    "X-GNOME-Autostart-enabled=true",
    "",
  ].join("\n");
}

/** Where XDG autostart entries live: $XDG_CONFIG_HOME/autostart, else ~/.config/autostart. */
export function autostartDir(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME;
  return join(
    configHome !== undefined && configHome !== "" ? configHome : join(homedir(), ".config"),
    "autostart",
  );
}

/**
 * Linux has no login-item API in Electron: the setting is a `larder.desktop` file in the autostart folder,
 * written atomically (a half-written entry would start nothing or something else).
 */
export function linuxLoginItem(dir: string, command: readonly string[]): LoginItem {
  const file = join(dir, "larder.desktop");
  return {
    supported: true,
    isEnabled: () => existsSync(file),
    setEnabled: (enabled) => {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, autostartEntry(command), { mode: 0o644 });
      renameSync(temp, file);
    },
  };
}
