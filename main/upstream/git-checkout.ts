import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { LarderError } from "../core/errors.js";

/**
 * Checks out REF of a git repository over HTTP(S) into dir with the system git. A full clone (not shallow)
 * works with both smart and dumb HTTP servers and with any ref: tag, branch or commit. The `.git` folder is
 * removed afterwards: only the working tree is mirrored.
 */
export async function gitCheckout(
  url: string,
  ref: string | undefined,
  dir: string,
  context: string,
  signal?: AbortSignal,
): Promise<void> {
  await git(["clone", "--quiet", "--no-checkout", "--", url, dir], context, signal);
  await git(["-C", dir, "checkout", "--quiet", "--detach", ref ?? "HEAD", "--"], context, signal, ref);
  await rm(join(dir, ".git"), { recursive: true, force: true });
}

function git(args: readonly string[], context: string, signal?: AbortSignal, ref?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      // No prompts (a private repo must fail, not hang), no hooks, no symlinks followed out of the tree on checkout.
      ["-c", "core.hooksPath=/dev/null", "-c", "protocol.file.allow=never", ...args],
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "echo" },
        signal,
        maxBuffer: 4 * 1024 * 1024,
        timeout: 10 * 60_000,
      },
      (error, _stdout, stderr) => {
        if (!error) {
          resolve();
          return;
        }
        if ("code" in error && error.code === "ENOENT") {
          reject(
            new LarderError(
              "unsupported",
              `${context}: the module is in a git repository and git is not installed. Install git and try again.`,
            ),
          );
          return;
        }
        const detail = stderr.trim().split("\n").at(-1) ?? error.message;
        const what = ref === undefined ? "git clone failed" : `git could not check out "${ref}"`;
        reject(new LarderError("upstream_error", `${context}: ${what}: ${detail}`));
      },
    );
  });
}
