// What the Bundles, Connect, Settings and Activity tests share: a typed API client for the server a test drives,
// and something stored to export, connect to and see in the activity.
import { AdminClient } from "../../shared/api-client.js";
import type { UiServer } from "./ui-support.js";

export const ALPHA = "registry.terraform.io/fixture/alpha";

/** The admin API as a script reaches it: the token from the printed login URL. */
export function clientOf(server: UiServer): AdminClient {
  const token = new URL(server.loginUrl).searchParams.get("token") ?? "";
  return new AdminClient({ baseUrl: server.serve.httpUrl, token });
}

/** Mirrors fixture/alpha 2.0.0 for linux_amd64 through the API and waits until the job succeeded. */
export async function storeAlpha(server: UiServer): Promise<AdminClient> {
  const api = clientOf(server);
  const { id } = await api.startJob({
    kind: "provider",
    address: ALPHA,
    versions: ["2.0.0"],
    platforms: ["linux_amd64"],
  });
  // Polled by hand: this runs in beforeAll, where vitest's expect.poll is not available.
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const state = (await api.job(id)).job.state;
    if (state.status === "succeeded") return api;
    if (state.status === "failed" || state.status === "cancelled")
      throw new Error(`mirroring ${ALPHA} 2.0.0 ended ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`mirroring ${ALPHA} 2.0.0 did not finish within 60 s`);
}
