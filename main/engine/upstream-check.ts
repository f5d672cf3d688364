import { LarderError } from "../core/errors.js";
import type { UpstreamHttpClient } from "../upstream/http-client.js";
import type { ServiceDiscovery } from "../upstream/service-discovery.js";

/** One thing the check asked of the registry, and what it found. */
export interface UpstreamCheckStep {
  readonly name: "discovery" | "providers.v1" | "modules.v1";
  readonly ok: boolean;
  readonly detail: string;
}

/** Whether Larder can use a registry as configured now: its address, its services, and its token. */
export interface UpstreamCheck {
  readonly host: string;
  readonly baseUrl: string;
  readonly hasToken: boolean;
  readonly ok: boolean;
  readonly steps: UpstreamCheckStep[];
  readonly elapsedMs: number;
}

/**
 * A name no registry hosts. Asking for its versions separates "reachable and the token is accepted" (404, or
 * 200 from a registry that answers everything) from "the token is missing or wrong" (401/403) without knowing
 * any real provider or module of a private registry.
 */
const PROBE_PROVIDER = "larder-connection-test/probe";
const PROBE_MODULE = "larder-connection-test/probe/probe";

/**
 * Checks a registry the way a mirror job would reach it: service discovery fresh (not from the cache), then a
 * `versions` request to each service it offers, with the host's token. Never throws for what the registry
 * answers: every failure is a step with the reason and what to do.
 */
export async function checkUpstream(
  deps: { readonly discovery: ServiceDiscovery; readonly http: UpstreamHttpClient },
  host: string,
  hasToken: boolean,
): Promise<UpstreamCheck> {
  const started = performance.now();
  const baseUrl = deps.discovery.baseUrlOf(host);
  const steps: UpstreamCheckStep[] = [];
  const finish = (): UpstreamCheck => ({
    host,
    baseUrl,
    hasToken,
    ok: steps.every((step) => step.ok),
    steps,
    elapsedMs: Math.round(performance.now() - started),
  });

  deps.discovery.invalidate(host);
  let services;
  try {
    services = await deps.discovery.services(host);
  } catch (error) {
    steps.push({ name: "discovery", ok: false, detail: reasonOf(error) });
    return finish();
  }
  const offered = [
    services.providersV1 === undefined ? null : "providers.v1",
    services.modulesV1 === undefined ? null : "modules.v1",
  ].filter((name) => name !== null);
  if (offered.length === 0) {
    steps.push({
      name: "discovery",
      ok: false,
      detail: `${baseUrl}/.well-known/terraform.json offers neither providers.v1 nor modules.v1: this is not a Terraform registry, or the address is wrong.`,
    });
    return finish();
  }
  steps.push({ name: "discovery", ok: true, detail: `offers ${offered.join(" and ")}` });

  const probe = async (
    name: "providers.v1" | "modules.v1",
    base: string | undefined,
    path: string,
  ): Promise<void> => {
    if (base === undefined) return;
    const url = `${base}${path}/versions`;
    try {
      const answer = await deps.http.getDocument(
        url,
        {
          what: `the ${name} API of ${host}`,
          accept: "application/json",
          headers: deps.discovery.authHeaders(host),
        },
        { maxBytes: 1024 * 1024, readStatuses: [] },
      );
      steps.push({ name, ...judge(answer.status, host, hasToken, url) });
    } catch (error) {
      steps.push({ name, ok: false, detail: reasonOf(error) });
    }
  };
  await probe("providers.v1", services.providersV1, PROBE_PROVIDER);
  await probe("modules.v1", services.modulesV1, PROBE_MODULE);
  return finish();
}

/** What a probe's status says about the address and the token. */
function judge(
  status: number,
  host: string,
  hasToken: boolean,
  url: string,
): Omit<UpstreamCheckStep, "name"> {
  const by = hasToken ? "answers with the token" : "answers without a token";
  if (status === 200 || status === 404) return { ok: true, detail: `${by} (HTTP ${status} for a test name)` };
  if (status === 401 || status === 403) {
    return {
      ok: false,
      detail: hasToken
        ? `rejected the token (HTTP ${status}); set a valid one with: larder upstream add ${host} --token-stdin`
        : `requires a token (HTTP ${status}); give one with: larder upstream add ${host} --token-stdin`,
    };
  }
  return { ok: false, detail: `answered HTTP ${status} at ${url}` };
}

function reasonOf(error: unknown): string {
  if (error instanceof LarderError) return error.message;
  throw error;
}
