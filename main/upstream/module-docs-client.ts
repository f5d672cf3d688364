import { capReadme, type ModuleDocs } from "../core/module-docs.js";
import { LarderError } from "../core/errors.js";
import { formatModuleAddress, type ModuleAddress } from "../core/module-address.js";
import { expectOk, type UpstreamHttpClient } from "./http-client.js";
import type { WarningSink } from "./lenient-json.js";
import { decodeOpenTofuModuleVersion, decodeTerraformModuleVersion } from "./module-docs-decode.js";
import type { ServiceDiscovery, UpstreamResolver } from "./service-discovery.js";

/** The host OpenTofu's docs (and catalog) are served from; `--upstream api.opentofu.org=URL` redirects it. */
export const openTofuApiHost = "api.opentofu.org";

// A module version document embeds its README; one larger than this is not a document worth reading whole.
const maxDocumentBytes = 8 * 1024 * 1024;

/**
 * Fetches a module version's documentation where registries publish it (terraform-protocols.md §7): the
 * registry.terraform.io-style `/v1/modules/…/:version` beside any host's modules.v1, and api.opentofu.org's
 * generated docs for registry.opentofu.org. Undefined means "not offered" (a 404: private registries usually have
 * neither); any other failure throws.
 */
export class ModuleDocsClient {
  constructor(
    private readonly http: UpstreamHttpClient,
    private readonly discovery: ServiceDiscovery,
    private readonly upstreams: UpstreamResolver,
    private readonly warn: WarningSink = () => undefined,
  ) {}

  /** `GET <modules.v1>/:ns/:name/:system/:version`: README, inputs, outputs and dependencies of the root. */
  async terraformDocs(
    address: ModuleAddress,
    version: string,
    signal?: AbortSignal,
  ): Promise<ModuleDocs | undefined> {
    const base = await this.discovery.modulesBaseUrl(address.host);
    const path = `${address.namespace}/${address.name}/${address.system}/${encodeURIComponent(version)}`;
    const url = new URL(path, base).href;
    const what = `the docs of module ${formatModuleAddress(address)} ${version}`;
    const json = await this.getJson(url, what, this.discovery.authHeaders(address.host), signal);
    return json === undefined ? undefined : decodeTerraformModuleVersion(json, this.warner(address, url));
  }

  /** api.opentofu.org's `index.json` of the version, and its README.md when the index says there is one. */
  async openTofuDocs(
    address: ModuleAddress,
    version: string,
    signal?: AbortSignal,
  ): Promise<ModuleDocs | undefined> {
    const { baseUrl } = this.upstreams(openTofuApiHost);
    // The generator names version folders as tags, with the `v` the protocol's version lists leave out.
    const folder = `${baseUrl.replace(/\/+$/, "")}/registry/docs/modules/${[address.namespace, address.name, address.system, `v${version}`].map(encodeURIComponent).join("/")}`;
    const what = `the OpenTofu docs of module ${formatModuleAddress(address)} ${version}`;
    const json = await this.getJson(`${folder}/index.json`, what, {}, signal);
    if (json === undefined) return undefined;
    const decoded = decodeOpenTofuModuleVersion(json, this.warner(address, `${folder}/index.json`));
    if (decoded === undefined) return undefined;
    const markdown = decoded.hasReadme
      ? await this.getText(
          `${folder}/README.md`,
          `the OpenTofu README of module ${formatModuleAddress(address)} ${version}`,
          signal,
        )
      : undefined;
    return { ...decoded.docs, readme: markdown ? capReadme(markdown) : null };
  }

  private warner(address: ModuleAddress, url: string): (detail: string) => void {
    return (detail) => {
      this.warn(
        `Registry docs of ${formatModuleAddress(address)}: skipped an unreadable entry at ${url} (${detail})`,
      );
    };
  }

  /** The JSON at URL; undefined for a 404; an error for another status or a body that is not JSON. */
  private async getJson(
    url: string,
    what: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const bytes = await this.getBody(url, what, "application/json", headers, signal);
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(Buffer.from(bytes).toString("utf8")) as unknown;
    } catch {
      throw new LarderError(
        "upstream_error",
        `Fetching ${what} from ${url}: the response is not valid JSON.`,
      );
    }
  }

  private async getText(
    url: string,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const bytes = await this.getBody(url, what, "text/markdown, text/plain, */*", {}, signal);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
  }

  private async getBody(
    url: string,
    what: string,
    accept: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array | undefined> {
    const document = await this.http.getDocument(
      url,
      { what, accept, headers, ...(signal ? { signal } : {}) },
      { maxBytes: maxDocumentBytes },
    );
    if (document.status === 404) return undefined;
    expectOk(document, url, what);
    return document.bytes;
  }
}
