import { join } from "node:path";

/** What the data directory resolution depends on, passed in so the rule stays pure and testable. */
export interface DataDirEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  readonly homeDir: string;
}

/**
 * Default data directory (architecture §3): $LARDER_DATA_DIR, else the platform's user data dir for "Larder",
 * the same one the desktop app uses so that the CLI and the window share one mirror.
 */
export function defaultDataDir({ env, platform, homeDir }: DataDirEnvironment): string {
  const explicit = env.LARDER_DATA_DIR;
  if (explicit !== undefined && explicit !== "") return explicit;
  if (platform === "darwin") return join(homeDir, "Library", "Application Support", "Larder");
  if (platform === "win32") return join(env.APPDATA ?? join(homeDir, "AppData", "Roaming"), "Larder");
  const xdg = env.XDG_DATA_HOME;
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homeDir, ".local", "share"), "larder");
}
