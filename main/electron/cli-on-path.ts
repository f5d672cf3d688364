import { join } from "node:path";

/**
 * How to put the `larder` CLI that ships inside the app on PATH, as commands a user can paste. The app carries
 * `resources/bin/larder` (and `larder.cmd` on Windows), which runs the app's own copy of the CLI with the app's
 * binary as Node, so the CLI and the window always agree on the data dir and the database schema.
 */
export function cliOnPathHelp(
  platform: NodeJS.Platform,
  resourcesPath: string,
  packaged: boolean,
  appImage?: string,
): { readonly summary: string; readonly commands: string } {
  // An AppImage mounts under /tmp/.mount_* anew each run: a link into it would dangle once the app quits.
  if (appImage !== undefined)
    return {
      summary:
        "An AppImage's files move with every run, so its CLI cannot be linked. Install the deb package, then:",
      commands: "sudo ln -sf /opt/Larder/resources/bin/larder /usr/local/bin/larder\nlarder --help",
    };
  if (!packaged)
    return {
      summary: "Running from source: link the clone's CLI once, from the clone's folder.",
      commands: "npm link\nlarder --help",
    };
  if (platform === "win32") {
    const dir = join(resourcesPath, "bin").replaceAll("/", "\\");
    return {
      summary: "Add the app's bin folder to your user PATH (PowerShell), then open a new terminal.",
      commands: `$user = [Environment]::GetEnvironmentVariable("Path", "User")\n[Environment]::SetEnvironmentVariable("Path", "$user;${dir}", "User")\nlarder --help`,
    };
  }
  const script = join(resourcesPath, "bin", "larder");
  return {
    summary: "Link the CLI inside the app into a folder on PATH:",
    commands: `sudo ln -sf '${script}' /usr/local/bin/larder\nlarder --help`,
  };
}
