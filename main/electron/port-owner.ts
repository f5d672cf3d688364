import { realpath } from "node:fs/promises";
import { createServer } from "node:net";
import { statusSchema } from "../../shared/api/index.js";

/** Who answers on a port the app wanted. */
export type PortOwner =
  { readonly kind: "same-larder" } | { readonly kind: "other"; readonly detail: string };

async function samePath(a: string, b: string): Promise<boolean> {
  const real = async (path: string): Promise<string> => realpath(path).catch(() => path);
  return (await real(a)) === (await real(b));
}

/**
 * Asks whatever listens at `httpUrl` for `/api/status` with this data dir's admin token. Only a Larder serving
 * the same data dir accepts that token and names that directory: then the window can simply attach to it.
 */
export async function identifyPortOwner(
  httpUrl: string,
  dataDir: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PortOwner> {
  let response: Response;
  try {
    response = await fetchImpl(`${httpUrl}/api/status`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
  } catch {
    return { kind: "other", detail: `something at ${httpUrl} does not answer HTTP` };
  }
  if (response.status === 401 || response.status === 403)
    return { kind: "other", detail: `a server at ${httpUrl} refuses this data directory's admin token` };
  if (response.status !== 200)
    return { kind: "other", detail: `${httpUrl} is not Larder (HTTP ${response.status})` };
  const status = statusSchema.safeParse(await response.json().catch(() => null));
  if (!status.success)
    return { kind: "other", detail: `${httpUrl} is not Larder (an unexpected /api/status)` };
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
