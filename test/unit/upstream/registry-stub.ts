import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ModuleRegistryClient } from "../../../main/upstream/module-registry-client.js";
import { ProviderRegistryClient } from "../../../main/upstream/provider-registry-client.js";
import { ServiceDiscovery } from "../../../main/upstream/service-discovery.js";
import { UpstreamHttpClient } from "../../../main/upstream/http-client.js";

/** One canned answer: a JSON body (or raw text), optional headers and status (200 by default). */
export interface StubAnswer {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 that replays recorded registry answer shapes by path, so the clients are
 * exercised through the same fetch, discovery and URL resolution code as against a live registry.
 */
export interface RegistryStub {
  readonly url: string;
  readonly host: string;
  /** Replaces every route; the discovery document defaults to the terraform-style relative one. */
  serve(routes: Readonly<Record<string, StubAnswer>>): void;
  /** The paths requested so far, in order. */
  readonly requests: string[];
  readonly warnings: string[];
  providers(): ProviderRegistryClient;
  modules(): ModuleRegistryClient;
  discovery(): ServiceDiscovery;
  close(): Promise<void>;
}

export const defaultDiscovery: StubAnswer = {
  json: { "providers.v1": "/v1/providers/", "modules.v1": "/v1/modules/" },
};

export async function startRegistryStub(host = "registry.example"): Promise<RegistryStub> {
  let routes: Readonly<Record<string, StubAnswer>> = {};
  const requests: string[] = [];
  const warnings: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push(path);
    const answer = routes[path] ?? (path === "/.well-known/terraform.json" ? defaultDiscovery : undefined);
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const status = answer.status ?? 200;
    const body = answer.json === undefined || status === 204 ? "" : JSON.stringify(answer.json);
    res.writeHead(status, { "content-type": "application/json", ...answer.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A fresh client per call, so discovery is not cached between tests that change the document.
  const discovery = (): ServiceDiscovery =>
    new ServiceDiscovery(new UpstreamHttpClient({ userAgent: "test", retries: 0 }), new Map([[host, url]]));
  return {
    url,
    host,
    requests,
    warnings,
    serve(next) {
      routes = next;
      requests.length = 0;
      warnings.length = 0;
    },
    discovery,
    providers: () =>
      new ProviderRegistryClient(
        new UpstreamHttpClient({ userAgent: "test", retries: 0 }),
        discovery(),
        (m) => warnings.push(m),
      ),
    modules: () =>
      new ModuleRegistryClient(new UpstreamHttpClient({ userAgent: "test", retries: 0 }), discovery(), (m) =>
        warnings.push(m),
      ),
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
