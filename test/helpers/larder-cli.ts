import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** The built `larder` entry point, exactly what `npx larder` runs (npm test builds dist/ first). */
export const LARDER_BIN = fileURLToPath(new URL("../../bin/larder.js", import.meta.url));

/**
 * The Node flags of the bin's shebang (`#!/usr/bin/env -S node FLAGS…`): children run `node FLAGS bin/larder.js`,
 * exactly what the shell runs for `larder`, and still with this very Node binary.
 */
export const LARDER_NODE_FLAGS: readonly string[] = (() => {
  const shebang = readFileSync(LARDER_BIN, "utf8").split("\n", 1)[0] ?? "";
  const words = shebang.replace(/^#!\s*/, "").split(/\s+/);
  return words.slice(words.indexOf("node") + 1);
})();

/** The outcome of one CLI run. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Environment for a CLI child: no inherited LARDER_* settings, so each test says what it means. Tests mirror for
 * terraform's default host unless they say otherwise (`--for`, or `LARDER_CLIENTS: ""` for the mirror's own
 * default of both clients): the tests about per-client hosts do; the others are about something else and would
 * otherwise each need a second upstream and count every package twice.
 */
export function cliEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith("LARDER_"));
  return { ...Object.fromEntries(inherited), LARDER_CLIENTS: "terraform", ...extra };
}

/** Runs `larder ARGS…` to completion. */
export function runLarder(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LARDER_NODE_FLAGS, LARDER_BIN, ...args], {
      env: cliEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `larder serve` child process and its URLs, read from what it prints on start. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly httpUrl: string;
  readonly httpsUrl: string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Sends SIGTERM and resolves with the exit code and everything printed. */
  stop(): Promise<CliResult>;
}

/**
 * A serve refreshes the catalog in the background and looks addresses up: hosts a test does not point at its
 * fixture (`--upstream` wins over this) go to a closed loopback port, so no test ever reaches a real registry.
 */
const UNREACHABLE_PUBLIC_HOSTS = ["registry.terraform.io", "registry.opentofu.org", "api.opentofu.org"]
  .map((host) => `${host}=http://127.0.0.1:9`)
  .join(",");

/** Starts `larder serve` with the given arguments and waits until it prints its listening URLs. */
export function startLarderServe(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...LARDER_NODE_FLAGS, LARDER_BIN, "serve", ...args], {
      env: cliEnv({ LARDER_UPSTREAMS: UNREACHABLE_PUBLIC_HOSTS, ...env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let started = false;
    const exited = new Promise<CliResult>((done) =>
      child.on("close", (code) => {
        done({ code, stdout, stderr });
      }),
    );
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const http = /HTTP:\s+(\S+)/.exec(stdout)?.[1];
      const https = /HTTPS:\s+(https:\S+)/.exec(stdout)?.[1];
      if (!started && http && https) {
        started = true;
        resolve({
          child,
          httpUrl: http,
          httpsUrl: https,
          stdout: () => stdout,
          stop: () => {
            if (child.exitCode === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((result) => {
      if (!started) reject(new Error(`larder serve exited early (${String(result.code)}): ${result.stderr}`));
    });
  });
}

/**
 * Writes the CLI config `larder terraformrc --tool tofu --mode MODE` prints for a running serve to `file`, as a
 * user would, and returns the path.
 */
export async function writeTerraformrc(
  serve: ServeProcess,
  dataDir: string,
  mode: "host" | "network-mirror",
  file: string,
): Promise<string> {
  const result = await runLarder([
    "terraformrc",
    ...["--tool", "tofu", "--mode", mode],
    ...["--port", new URL(serve.httpUrl).port, "--https-port", new URL(serve.httpsUrl).port],
    ...["--data-dir", dataDir],
  ]);
  if (result.code !== 0) throw new Error(`larder terraformrc failed: ${result.stderr}`);
  await writeFile(file, result.stdout);
  return file;
}
