import { homedir, userInfo } from "node:os";
import { parseClients, type RegistryClient } from "../core/clients.js";
import { defaultDataDir } from "../core/data-dir.js";
import { LarderError } from "../core/errors.js";
import { parseUpstreamOverrides } from "../core/upstream-override.js";
import { APP_VERSION } from "../engine/app-version.js";
import type { AuditActor } from "../engine/audit-log.js";
import type { Larder } from "../engine/larder.js";

/** Options every command shares. */
export interface CommonOptions {
  readonly dataDir?: string;
  readonly upstream?: readonly string[];
  /** Job item transfers at once: in all, and per upstream host. */
  readonly concurrency?: string;
  readonly perHost?: string;
  /** Refuse keyless providers (`--require-signatures`, or LARDER_REQUIRE_SIGNATURES=1). */
  readonly requireSignatures?: boolean;
}

/**
 * The clients a command reads host-less addresses for: `--for`, else $LARDER_CLIENTS (comma-separated, e.g. for a
 * CI runner that only runs tofu), else undefined so the mirror's `clients` setting applies. Checked before anything
 * opens.
 */
export function resolveClients(values: readonly string[] | undefined): RegistryClient[] | undefined {
  if (values !== undefined) return parseClients(values);
  const env = (process.env.LARDER_CLIENTS ?? "")
    .split(",")
    .map((value) => value.trim())
    .filter((value) => value !== "");
  return env.length === 0 ? undefined : parseClients(env, "LARDER_CLIENTS");
}

/** Whether signatures are required: the flag, or LARDER_REQUIRE_SIGNATURES=1 (like OPENTOFU_ENFORCE_GPG_VALIDATION). */
export function resolveRequireSignatures(options: CommonOptions): boolean {
  const env = process.env.LARDER_REQUIRE_SIGNATURES;
  return options.requireSignatures === true || env === "1" || env === "true";
}

/**
 * The small-document stall limit from $LARDER_HTTP_STALL_MS (milliseconds), or undefined for the client's default
 * (15 s). Meant for tests and very slow links: how long a JSON answer, SHA256SUMS or signature may send nothing
 * before the attempt is dropped and retried.
 */
export function resolveSmallBodyStallMs(): number | undefined {
  const raw = process.env.LARDER_HTTP_STALL_MS;
  if (raw === undefined || raw === "") return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    throw new LarderError(
      "invalid_input",
      `Invalid LARDER_HTTP_STALL_MS "${raw}": use a whole number of milliseconds from 1 to 600000.`,
    );
  }
  return ms;
}

/** The data directory from --data-dir, $LARDER_DATA_DIR or the platform default. */
export function resolveDataDir(options: CommonOptions): string {
  return (
    options.dataDir ?? defaultDataDir({ env: process.env, platform: process.platform, homeDir: homedir() })
  );
}

/** Upstream overrides from $LARDER_UPSTREAMS then --upstream flags (flags win). */
export function resolveUpstreams(options: CommonOptions): Map<string, string> {
  return parseUpstreamOverrides([process.env.LARDER_UPSTREAMS ?? "", ...(options.upstream ?? [])]);
}

/**
 * Opens the engine for a command. The engine (and with it the server, registry clients and OpenPGP) is loaded
 * here, on first use, not when the CLI starts: `larder --help` or a usage error never pays for it.
 */
export async function openLarderFor(options: CommonOptions): Promise<Larder> {
  const workers = {
    ...(options.concurrency === undefined
      ? {}
      : { global: workerCount("--concurrency", options.concurrency) }),
    ...(options.perHost === undefined ? {} : { perHost: workerCount("--per-host", options.perHost) }),
  };
  const smallBodyStallMs = resolveSmallBodyStallMs();
  const { Larder } = await import("../engine/larder.js");
  return Larder.open({
    dataDir: resolveDataDir(options),
    upstreams: resolveUpstreams(options),
    ...(smallBodyStallMs === undefined ? {} : { http: { smallBodyStallMs } }),
    workers,
    requireSignatures: resolveRequireSignatures(options),
    // Registry warnings and skipped answer entries: terraform prints them too, so the user sees why.
    onUpstreamWarning: (message) => {
      process.stderr.write(`warning: ${message}\n`);
    },
    onAuditFailure: (message) => {
      process.stderr.write(`warning: ${message}\n`);
    },
  });
}

/** Who the CLI is in the audit log: the OS user running it (when the system can say) and Larder's version. */
export function cliActor(): AuditActor {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's arbitrary uid): the row is still written, without a peer.
  }
  return { kind: "cli", userAgent: `larder-cli/${APP_VERSION}`, ...(user ? { peer: user } : {}) };
}

/**
 * Runs a state-changing command's work and records it in the audit log as the CLI: ok with `summarize`'s text,
 * or failed with the error's message (then rethrown, so the command fails exactly as before).
 */
export function auditCli<T>(
  larder: Larder,
  action: string,
  target: string,
  work: () => Promise<T> | T,
  summarize?: (result: T) => string,
): Promise<T> {
  return larder.audit.audited(cliActor(), action, target, work, summarize);
}

/** An address and the versions asked for, as the audit log names a mirror's target. */
export function mirrorTarget(
  address: string,
  versions: readonly string[] | undefined,
  all: boolean | undefined,
): string {
  const wanted = versions && versions.length > 0 ? versions.join(", ") : "newest";
  return `${address} ${all ? `all of ${wanted}` : wanted}`;
}

/** A worker count from a flag, validated. */
function workerCount(flag: string, raw: string): number {
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 32) {
    throw new LarderError("invalid_input", `Invalid ${flag} "${raw}": use a whole number from 1 to 32.`);
  }
  return count;
}

/** A port from a flag or environment variable, validated. */
export function resolvePort(flag: string | undefined, envName: string, fallback: number): number {
  const raw = flag ?? process.env[envName];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LarderError(
      "invalid_input",
      `Invalid port "${raw}" (from ${flag === undefined ? envName : "the command line"}): use a number from 0 to 65535.`,
    );
  }
  return port;
}

/** The `--for` option's help, one text for every command that reads host-less addresses. */
export const FOR_HELP =
  "client whose default registry a host-less address means: terraform (registry.terraform.io) or tofu (registry.opentofu.org); repeatable (default: the clients setting, see larder config)";

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const DEFAULT_HTTP_PORT = 7373;
export const DEFAULT_HTTPS_PORT = 7374;
