// Registry API tokens live in <data dir>/credentials.json, not in larder.db: the database is copied into bundles,
// backups and bug reports far more casually than a file that is private to its owner (mode 0600) like ~/.terraformrc.
import { chmodSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { errorMessage, LarderError } from "../core/errors.js";
import { writeFileAtomic } from "./durable-file.js";

export const CREDENTIALS_FILE = "credentials.json";

/** Owner read/write only. */
const PRIVATE_MODE = 0o600;

const documentSchema = z.object({
  version: z.literal(1),
  /** Registry host (normalized) → API token. */
  tokens: z.record(z.string(), z.string()),
});

/**
 * The tokens file, read on demand (so a token added by another process is used without a restart) and written
 * atomically with mode 0600. A file others can read is made private again at once, with a warning, because its
 * tokens may already have been seen.
 */
export class CredentialsFile {
  readonly path: string;
  private cached: { readonly stamp: string; readonly tokens: ReadonlyMap<string, string> } | undefined;

  constructor(
    dataDir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.path = path.join(dataDir, CREDENTIALS_FILE);
  }

  /** The token for a host, if one is stored. */
  tokenOf(host: string): string | undefined {
    return this.read().get(host);
  }

  /** Hosts that have a token. */
  hosts(): string[] {
    return [...this.read().keys()];
  }

  /** Stores (a string) or removes (null) the token of a host. */
  async setToken(host: string, token: string | null): Promise<void> {
    const tokens = new Map(this.read());
    if (token === null) tokens.delete(host);
    else tokens.set(host, token);
    const document = { version: 1, tokens: Object.fromEntries([...tokens].sort()) };
    await writeFileAtomic(this.path, `${JSON.stringify(document, null, 2)}\n`, PRIVATE_MODE);
    this.cached = undefined;
  }

  private read(): ReadonlyMap<string, string> {
    let stats;
    try {
      stats = statSync(this.path);
    } catch (error) {
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return new Map();
      throw this.unreadable(error);
    }
    this.ensurePrivate(stats.mode);
    // Re-read only when the file changed (another process added a token), not on every request.
    const stamp = `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    if (this.cached?.stamp === stamp) return this.cached.tokens;
    let parsed;
    let text;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      throw this.unreadable(error);
    }
    try {
      parsed = documentSchema.safeParse(JSON.parse(text));
    } catch {
      // Not the parser's message: newer ones quote the text around the error, which may be a token.
      throw this.unreadable("it is not valid JSON");
    }
    if (!parsed.success) throw this.unreadable("it is not a Larder credentials document");
    const tokens = new Map(Object.entries(parsed.data.tokens));
    this.cached = { stamp, tokens };
    return tokens;
  }

  private ensurePrivate(mode: number): void {
    // Windows has no POSIX modes (it reports 0666); the user profile's ACLs protect the data dir there.
    if (process.platform === "win32" || (mode & 0o077) === 0) return;
    try {
      chmodSync(this.path, PRIVATE_MODE);
    } catch (error) {
      throw new LarderError(
        "storage_failed",
        `${this.path} is readable by other users (mode ${(mode & 0o777).toString(8)}) and could not be made private: ${errorMessage(error)}. Run: chmod 600 ${this.path}`,
      );
    }
    this.warn(
      `${this.path} was readable by other users (mode ${(mode & 0o777).toString(8)}); it is now 600. Consider rotating the tokens it holds.`,
    );
  }

  private unreadable(cause: unknown): LarderError {
    const reason = typeof cause === "string" ? cause : errorMessage(cause);
    return new LarderError(
      "storage_failed",
      `Could not read the registry credentials in ${this.path}: ${reason}. Fix or delete the file, then add the tokens again with: larder upstream add HOST --token-stdin`,
      { cause },
    );
  }
}
