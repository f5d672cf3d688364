// `npm start`: opens the desktop app from source, or, where no window can open (no display, or no Electron
// binary and no way to download one), serves the same mirror headless as `larder serve` does, saying why.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
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
    return createRequire(import.meta.url)("electron") as string;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function run(command: string, commandArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const child = spawn(command, commandArgs, { stdio: "inherit", env });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      child.kill(signal);
    });
}

function serveHeadless(reason: string): void {
  console.error(`Larder: no desktop window here: ${reason}.`);
  console.error("Serving the same mirror headless instead, as `larder serve` does (Ctrl-C to stop).");
  run(process.execPath, [join(root, "bin", "larder.js"), "serve", ...args]);
}

const reason = noWindowReason();
if (reason !== undefined) {
  serveHeadless(reason);
} else {
  const binary = electronBinary();
  if (binary instanceof Error) serveHeadless(`the Electron binary is not available (${binary.message})`);
  else run(binary, [root, ...args]);
}
