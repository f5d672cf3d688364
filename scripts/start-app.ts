// `npm start`: opens the desktop app from source, or, where no window can open (no display, or no Electron
// binary and no way to download one), serves the same mirror headless as `larder serve` does, saying why.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** Why no window can open here, or undefined when one can. */
function noWindowReason(): string | undefined {
  if (process.env.LARDER_HEADLESS === "1") return "LARDER_HEADLESS=1 is set";
  if (process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
  return undefined;
}

/** The Electron binary; the `electron` package downloads it on first use, which may fail offline. */
function electronBinary(): string | Error {
  try {
    return require("electron") as string;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * better-sqlite3 built for Electron's ABI, kept beside (never instead of) the Node build `npm install` made, so the
 * CLI and the tests keep working: prebuild-install fetches the matching prebuilt addon once into
 * node_modules/.cache and the app is started with LARDER_SQLITE_BINDING naming it.
 */
function electronSqliteBinding(): string | Error {
  const electronVersion = (
    JSON.parse(readFileSync(require.resolve("electron/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const cache = join(
    root,
    "node_modules",
    ".cache",
    "larder",
    `better-sqlite3-electron-${electronVersion}-${process.platform}-${process.arch}`,
  );
  const addon = join(cache, "build", "Release", "better_sqlite3.node");
  if (existsSync(addon)) return addon;
  mkdirSync(cache, { recursive: true });
  // prebuild-install reads the package's name, version and repository to find the release asset.
  copyFileSync(require.resolve("better-sqlite3/package.json"), join(cache, "package.json"));
  const fetched = spawnSync(
    process.execPath,
    [require.resolve("prebuild-install/bin.js"), "--runtime", "electron", "--target", electronVersion],
    { cwd: cache, stdio: "inherit" },
  );
  if (fetched.status === 0 && existsSync(addon)) return addon;
  return new Error(
    `better-sqlite3 built for Electron ${electronVersion} could not be fetched (prebuild-install needs github.com)`,
  );
}

function run(command: string, commandArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const child = spawn(command, commandArgs, { stdio: "inherit", env });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  // Ctrl-C already reaches the child (one process group): a second SIGINT from here would make it stop at once.
  process.on("SIGINT", () => undefined);
  for (const signal of ["SIGTERM", "SIGHUP"] as const)
    process.on(signal, () => {
      child.kill(signal);
    });
}

function serveHeadless(reason: string): void {
  console.error(`Larder: no desktop window here: ${reason}.`);
  console.error("Serving the same mirror headless instead, as `larder serve` does (Ctrl-C to stop).");
  // The bin's shebang flags (a small young generation: see bin/larder.js), as the shell would run it.
  run(process.execPath, ["--max-semi-space-size=2", join(root, "bin", "larder.js"), "serve", ...args]);
}

const reason = noWindowReason();
if (reason !== undefined) {
  serveHeadless(reason);
} else {
  const binary = electronBinary();
  const binding = binary instanceof Error ? binary : electronSqliteBinding();
  if (binary instanceof Error) serveHeadless(`the Electron binary is not available (${binary.message})`);
  else if (binding instanceof Error) serveHeadless(binding.message);
  else run(binary, [root, ...args], { ...process.env, LARDER_SQLITE_BINDING: binding });
}
