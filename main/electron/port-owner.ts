import { randomBytes } from "node:crypto";
import { realpath } from "node:fs/promises";
import { createServer } from "node:net";
import { z } from "zod";
import { statusSchema } from "../../shared/api/index.js";
import { identityProofMatches } from "../engine/admin-token.js";

/** Who answers on a port the app wanted. */
export type PortOwner =
  { readonly kind: "same-larder" } | { readonly kind: "other"; readonly detail: string };

async function samePath(a: string, b: string): Promise<boolean> {
  const real = async (path: string): Promise<string> => realpath(path).catch(() => path);
  return (await real(a)) === (await real(b));
}

const identifySchema = z.object({ app: z.literal("larder"), version: z.string(), proof: z.string() });

/**
 * Finds out whether what listens at `httpUrl` is a Larder serving this data dir, without handing it the token:
 * it must first answer a fresh challenge with HMAC(token, nonce), which only a holder of this data dir's token
 * can. Then, and only then, `/api/status` (with the token) confirms the data directory.
 */
export async function identifyPortOwner(
  httpUrl: string,
  dataDir: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PortOwner> {
  const nonce = randomBytes(32).toString("hex");
  const ask = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetchImpl(`${httpUrl}${path}`, { ...init, signal: AbortSignal.timeout(3000) });
  let response: Response;
  try {
    response = await ask(`/identify?nonce=${nonce}`);
  } catch {
    return { kind: "other", detail: `something at ${httpUrl} does not answer HTTP` };
  }
  if (response.status !== 200)
    return { kind: "other", detail: `${httpUrl} is not Larder (HTTP ${response.status})` };
  const identity = identifySchema.safeParse(await response.json().catch(() => null));
  if (!identity.success)
    return { kind: "other", detail: `${httpUrl} is not Larder (an unexpected /identify)` };
  if (!identityProofMatches(token, nonce, identity.data.proof))
    return {
      kind: "other",
      detail: `a Larder ${identity.data.version} at ${httpUrl} serves another data directory (its admin token differs)`,
    };
  const status = statusSchema.safeParse(
    await ask("/api/status", { headers: { authorization: `Bearer ${token}` } }).then(
      (answer) => answer.json(),
      () => null,
    ),
  );
  if (!status.success)
    return { kind: "other", detail: `the Larder at ${httpUrl} does not answer /api/status` };
  if (!(await samePath(status.data.dataDir, dataDir)))
    return {
      kind: "other",
      detail: `a Larder at ${httpUrl} serves another data directory, ${status.data.dataDir}`,
    };
  return { kind: "same-larder" };
}

/** `count` ports that are free on `host` right now (the OS picks them), to offer instead of taken ones. */
export async function freePorts(host: string, count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, host, () => {
            resolve(server);
          });
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === "object" && address !== null ? address.port : 0;
  });
  await Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve);
        }),
    ),
  );
  return ports;
}
