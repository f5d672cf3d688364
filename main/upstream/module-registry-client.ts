import { z } from "zod";
import { LarderError } from "../core/errors.js";
import { formatModuleAddress, type ModuleAddress } from "../core/module-address.js";
import { expectOk, type UpstreamHttpClient } from "./http-client.js";
import {
  decodeEach,
  decodeOrThrow,
  dropNulls,
  isSemver,
  notSemver,
  type WarningSink,
} from "./lenient-json.js";
import type { ServiceDiscovery } from "./service-discovery.js";

// Schemas see answers with null members dropped (lenient-json.ts); members such as `source`, `root` and
// `submodules` are ignored, as terraform ignores them when it only needs the version list.
const versionsDocumentSchema = z.object({
  modules: z.array(z.object({ versions: z.array(z.unknown()).optional() })).min(1),
});

const versionEntrySchema = z.object({ version: z.string().refine(isSemver, notSemver) });

const locationSchema = z.object({ location: z.string().min(1) });

/** Client of the module registry protocol (terraform-protocols.md §6) for any host. */
export class ModuleRegistryClient {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly discovery: ServiceDiscovery,
    private readonly warn: WarningSink = () => undefined,
  ) {}

  /** Every version the registry offers for a module. */
  async listVersions(address: ModuleAddress, signal?: AbortSignal): Promise<string[]> {
    const url = await this.moduleUrl(address, "versions");
    const name = formatModuleAddress(address);
    const answer = await this.http.getJson(url, {
      what: `the versions of module ${name}`,
      signal,
      headers: this.discovery.authHeaders(address.host),
    });
    if (!answer)
      throw new LarderError("not_found", `Registry ${address.host} does not have a module named ${name}.`);
    const document = decodeOrThrow(
      versionsDocumentSchema,
      answer.json,
      `the version list of module ${name} (${url})`,
    );
    const entries = decodeEach(
      versionEntrySchema,
      document.modules[0]?.versions ?? [],
      "modules.0.versions",
      (detail) => {
        this.warn(
          `Registry ${address.host}: skipped an unreadable entry in the versions of module ${name} (${detail})`,
        );
      },
    );
    return entries.map((entry) => entry.version);
  }

  /**
   * The download location of one version, made absolute. Accepts both answers clients accept: 204/200 with
   * `X-Terraform-Get`, and OpenTofu-style 200 with a JSON `{"location": …}` body (registry.opentofu.org).
   */
  async downloadLocation(address: ModuleAddress, version: string, signal?: AbortSignal): Promise<string> {
    const url = await this.moduleUrl(address, `${encodeURIComponent(version)}/download`);
    const what = `the download location of module ${formatModuleAddress(address)} ${version}`;
    // Headers and body are one attempt, so an OpenTofu-style JSON answer cut off mid-way is fetched again.
    const response = await this.http.getDocument(
      url,
      { what, signal, accept: "application/json", headers: this.discovery.authHeaders(address.host) },
      { maxBytes: 1024 * 1024 },
    );
    if (response.status === 404) {
      throw new LarderError(
        "not_found",
        `Module ${formatModuleAddress(address)} version ${version} was not found upstream.`,
      );
    }
    if (response.status !== 204) expectOk(response, url, what);
    // As in tofu, a non-empty X-Terraform-Get wins; the JSON body is only read when the header is missing.
    let location = response.headers.get("x-terraform-get") ?? "";
    if (location === "" && response.status === 200) {
      const body = locationSchema.safeParse(dropNulls(parseJson(response.bytes)));
      if (body.success) location = body.data.location;
    }
    if (location === "")
      throw new LarderError("upstream_error", `The registry gave no location for ${what} (${url}).`);
    // Relative locations resolve against the download request URL (terraform-protocols.md §6.3).
    return /^\.{0,2}\//.test(location) ? new URL(location, url).href : location;
  }

  private async moduleUrl(address: ModuleAddress, suffix: string): Promise<string> {
    const base = await this.discovery.modulesBaseUrl(address.host);
    return new URL(`${address.namespace}/${address.name}/${address.system}/${suffix}`, base).href;
  }
}

/** The JSON value of a body, or undefined when it is not JSON (a 200 may carry only X-Terraform-Get). */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
