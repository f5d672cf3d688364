import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { errorMessage, LarderError } from "../core/errors.js";
import { writeFileAtomic } from "../store/durable-file.js";

/** 256 bits, URL-safe, so the login URL needs no escaping. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The admin API token in `<data dir>/admin-token` (0600). The server re-reads it when the file changes, so
 * `larder token --rotate` in a terminal locks out the old token without a restart.
 */
export class AdminTokenFile {
  private cached: { readonly stamp: string; readonly token: string } | undefined;

  constructor(readonly path: string) {}

  static in(dataDir: string): AdminTokenFile {
    return new AdminTokenFile(join(dataDir, "admin-token"));
  }

  /** The token, created on first use. */
  async current(): Promise<string> {
    const info = await stat(this.path).catch(() => undefined);
    if (info === undefined) return this.rotate();
    // A rotation renames a new file into place: a new inode even when the clock has not ticked.
    const stamp = `${info.ino}:${info.mtimeMs}:${info.size}`;
    if (this.cached?.stamp === stamp) return this.cached.token;
    // A token others could read is as good as public: tighten the mode rather than serve with it.
    if (process.platform !== "win32" && (info.mode & 0o077) !== 0) await chmod(this.path, 0o600);
    const token = (
      await readFile(this.path, "utf8").catch((error: unknown) => {
        throw new LarderError("storage_failed", `Cannot read ${this.path}: ${errorMessage(error)}`);
      })
    ).trim();
    if (!TOKEN_PATTERN.test(token)) {
      throw new LarderError(
        "storage_failed",
        `${this.path} does not hold a Larder admin token; make a new one with: larder token --rotate`,
      );
    }
    this.cached = { stamp, token };
    return token;
  }

  /** Replaces the token with a new random one; the old one stops working at once. */
  async rotate(): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString("base64url");
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, `${token}\n`, 0o600);
    this.cached = undefined;
    return token;
  }

  /** Whether a presented token is the current one, in constant time whatever its length. */
  async matches(presented: string): Promise<boolean> {
    const expected = await this.current();
    const digest = (value: string): Buffer => createHash("sha256").update(value).digest();
    return timingSafeEqual(digest(presented), digest(expected));
  }
}

/**
 * Proof that a server holds `token`, for a challenge `nonce`: HMAC-SHA256 under the token, domain-separated so the
 * answer is useful for nothing else. The desktop app asks whatever holds its port for this before it sends the
 * token anywhere: a squatter on the port learns nothing, and only a Larder with the same data dir can answer.
 */
export function identityProof(token: string, nonce: string): string {
  return createHmac("sha256", token).update(`larder identify v1\n${nonce}`).digest("hex");
}

/** Whether `proof` is identityProof(token, nonce), in constant time. */
export function identityProofMatches(token: string, nonce: string, proof: string): boolean {
  const expected = Buffer.from(identityProof(token, nonce), "hex");
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(proof) ? proof : "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
