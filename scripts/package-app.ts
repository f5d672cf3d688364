// `npm run package -- --linux` (or --mac, --win): builds dist/, then the installers in release/ with
// electron-builder. electron-builder rebuilds better-sqlite3 for Electron inside node_modules; afterwards, and also
// when packaging fails, it is rebuilt for Node again, so the CLI and the tests keep working in this clone.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const step = (command: string, args: readonly string[]): number =>
  spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" }).status ?? 1;

let status = step(npm, ["run", "build"]);
if (status === 0) {
  status = step(process.execPath, [require.resolve("electron-builder/cli.js"), ...process.argv.slice(2)]);
  const restored = step(npm, ["rebuild", "better-sqlite3"]);
  if (restored !== 0)
    console.error(
      "Rebuilding better-sqlite3 for Node failed: run `npm rebuild better-sqlite3` before npm test.",
    );
}
process.exitCode = status;
