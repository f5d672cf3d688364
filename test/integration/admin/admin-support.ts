import { AdminClient } from "../../../shared/api-client.js";
import { startHarness, type HarnessOptions, type ServerHarness } from "../server/harness.js";

/** A running server with the fixture registry behind it, and the admin API reached as a script would. */
export interface AdminHarness extends ServerHarness {
  readonly token: string;
  readonly client: AdminClient;
  /** Sends one admin API request with the bearer token (unless headers say otherwise). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export async function startAdminHarness(name: string, options: HarnessOptions = {}): Promise<AdminHarness> {
  const harness = await startHarness(name, options);
  const token = await harness.server.tokens.current();
  const base = harness.server.httpUrl;
  return {
    ...harness,
    token,
    client: new AdminClient({ baseUrl: base, token }),
    api: (path, init = {}) => {
      const { json, headers, ...rest } = init;
      return fetch(`${base}${path}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json === undefined ? {} : { "content-type": "application/json" }),
          ...(headers as Record<string, string> | undefined),
        },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      });
    },
  };
}

/** Polls until `check` holds (default 20 s). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
