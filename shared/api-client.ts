import type { z } from "zod";
import {
  apiErrorSchema,
  auditPageSchema,
  bundleHistorySchema,
  catalogModuleSchema,
  catalogRefreshStartedSchema,
  catalogModuleSizesSchema,
  catalogProviderSchema,
  catalogProviderSizesSchema,
  catalogSearchResultSchema,
  connectInfoSchema,
  connectTestSchema,
  deleteModuleResponseSchema,
  deleteProviderResponseSchema,
  diskUsageSchema,
  exportPlanSchema,
  exportResultSchema,
  gcResponseSchema,
  importResultSchema,
  inventorySchema,
  jobControlResponseSchema,
  jobDetailSchema,
  jobListSchema,
  settingsSchema,
  startJobResponseSchema,
  statusSchema,
  verifyReportSchema,
  type AuditPage,
  type ExportPlanRequest,
  type ExportToPathRequest,
  type JobAction,
  type SettingsUpdate,
  type StartJobRequest,
  type UpstreamUpdate,
  upstreamCheckSchema,
  projectListSchema,
  projectPlanSchema,
  projectSchema,
  removeProjectResponseSchema,
  type AddProjectRequest,
  type UpdateProjectRequest,
} from "./api/index.js";

/** A refused or failed admin API call: its status, its messages and, for bad input, the fields they are about. */
export class AdminApiError extends Error {
  override readonly name = "AdminApiError";

  constructor(
    readonly status: number,
    message: string,
    readonly fields: readonly { readonly path: string; readonly message: string }[] = [],
  ) {
    super(message);
  }
}

/** How a client reaches the admin API. */
export interface AdminClientOptions {
  /** e.g. http://127.0.0.1:7373; "" for the page's own origin (the browser, with the login cookie). */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer` (scripts, the Electron main process); without it the cookie is used. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/**
 * The typed admin API client: one method per route, each answer checked against its schema so a mismatch between
 * server and client fails loudly here rather than deep in a view.
 */
export class AdminClient {
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  }

  status() {
    return this.call(statusSchema, "GET", "/api/status");
  }

  jobs() {
    return this.call(jobListSchema, "GET", "/api/jobs");
  }

  job(id: number) {
    return this.call(jobDetailSchema, "GET", `/api/jobs/${id}`);
  }

  startJob(request: StartJobRequest) {
    return this.call(startJobResponseSchema, "POST", "/api/jobs", request);
  }

  controlJob(id: number, action: JobAction, item?: number) {
    return this.call(
      jobControlResponseSchema,
      "POST",
      `/api/jobs/${id}/${action}`,
      item === undefined ? {} : { item },
    );
  }

  inventory() {
    return this.call(inventorySchema, "GET", "/api/inventory");
  }

  diskUsage() {
    return this.call(diskUsageSchema, "GET", "/api/inventory/usage");
  }

  deleteProvider(target: {
    host: string;
    namespace: string;
    type: string;
    version: string;
    platform?: string;
  }) {
    const path = `/api/inventory/providers/${segments(target.host, target.namespace, target.type, target.version)}`;
    return this.call(deleteProviderResponseSchema, "DELETE", path, undefined, {
      platform: target.platform,
    });
  }

  deleteModule(target: { host: string; namespace: string; name: string; system: string; version: string }) {
    const path = `/api/inventory/modules/${segments(target.host, target.namespace, target.name, target.system, target.version)}`;
    return this.call(deleteModuleResponseSchema, "DELETE", path);
  }

  /** Searches the catalog; `registry` may name several hosts. */
  searchCatalog(query: {
    q: string;
    registry?: readonly string[];
    kind?: "provider" | "module";
    tier?: string;
    limit?: number;
    offset?: number;
    offline?: boolean;
  }) {
    const { offline, ...rest } = query;
    return this.call(catalogSearchResultSchema, "GET", "/api/catalog/search", undefined, {
      ...rest,
      ...(offline === undefined ? {} : { offline: offline ? "1" : "0" }),
    });
  }

  catalogProvider(host: string, namespace: string, type: string, query: { constraint?: string } = {}) {
    const path = `/api/catalog/providers/${segments(host, namespace, type)}`;
    return this.call(catalogProviderSchema, "GET", path, undefined, query);
  }

  catalogModule(
    host: string,
    namespace: string,
    name: string,
    system: string,
    query: { constraint?: string; version?: string; offline?: boolean } = {},
  ) {
    const path = `/api/catalog/modules/${segments(host, namespace, name, system)}`;
    const { offline, ...rest } = query;
    return this.call(catalogModuleSchema, "GET", path, undefined, {
      ...rest,
      ...(offline === undefined ? {} : { offline: offline ? "1" : "0" }),
    });
  }

  /** Starts a catalog refresh in the server (all public registries, or the named ones); 409 while one runs. */
  refreshCatalog(registries?: readonly string[]) {
    return this.call(
      catalogRefreshStartedSchema,
      "POST",
      "/api/catalog/refresh",
      registries === undefined ? {} : { registries: [...registries] },
    );
  }

  /** Size estimates of every given version on every given platform (`linux_amd64`); bounded, so ask again. */
  catalogProviderSizes(
    host: string,
    namespace: string,
    type: string,
    query: { versions: readonly string[]; platforms: readonly string[]; offline?: boolean },
  ) {
    const path = `/api/catalog/providers/${segments(host, namespace, type)}/sizes`;
    return this.call(catalogProviderSizesSchema, "GET", path, undefined, {
      version: query.versions,
      platform: query.platforms,
      ...(query.offline === undefined ? {} : { offline: query.offline ? "1" : "0" }),
    });
  }

  /** Module versions' sizes: exact when stored, else unknown until downloaded. */
  catalogModuleSizes(
    host: string,
    namespace: string,
    name: string,
    system: string,
    versions: readonly string[],
  ) {
    const path = `/api/catalog/modules/${segments(host, namespace, name, system)}/sizes`;
    return this.call(catalogModuleSizesSchema, "GET", path, undefined, { version: versions });
  }

  collectGarbage(dryRun: boolean) {
    return this.call(gcResponseSchema, "POST", "/api/gc", { dryRun });
  }

  settings() {
    return this.call(settingsSchema, "GET", "/api/settings");
  }

  updateSettings(update: SettingsUpdate) {
    return this.call(settingsSchema, "PUT", "/api/settings", update);
  }

  setUpstream(host: string, update: UpstreamUpdate) {
    return this.call(settingsSchema, "PUT", `/api/settings/upstreams/${segments(host)}`, update);
  }

  testUpstream(host: string) {
    return this.call(upstreamCheckSchema, "POST", `/api/settings/upstreams/${segments(host)}/test`, {});
  }

  removeUpstream(host: string) {
    return this.call(settingsSchema, "DELETE", `/api/settings/upstreams/${segments(host)}`);
  }

  connect() {
    return this.call(connectInfoSchema, "GET", "/api/connect");
  }

  testConnection() {
    return this.call(connectTestSchema, "POST", "/api/connect/test", {});
  }

  audit(
    query: { limit?: number; before?: number; actor?: string; action?: string } = {},
  ): Promise<AuditPage> {
    return this.call(auditPageSchema, "GET", "/api/audit", undefined, query);
  }

  bundles() {
    return this.call(bundleHistorySchema, "GET", "/api/bundles");
  }

  exportBundle(request: ExportToPathRequest) {
    return this.call(exportResultSchema, "POST", "/api/bundles/export", request);
  }

  /** What exporting the selection would write, and its exact size; writes nothing. */
  planExport(request: ExportPlanRequest = {}) {
    return this.call(exportPlanSchema, "POST", "/api/bundles/plan", request);
  }

  /** Verifies a bundle file sent as the body (a browser streams a picked File); optionally against a key. */
  verifyUpload(file: Blob, trustedKey?: string) {
    return this.call(verifyReportSchema, "POST", "/api/bundles/verify", file, {}, keyHeader(trustedKey));
  }

  /** Remembered projects, each checked against the mirror as it is now. */
  projects() {
    return this.call(projectListSchema, "GET", "/api/projects");
  }

  project(id: number) {
    return this.call(projectSchema, "GET", `/api/projects/${id}`);
  }

  /** Remembers a folder on the Larder machine, or an upload of a project's files; answers it checked. */
  addProject(request: AddProjectRequest) {
    return this.call(projectSchema, "POST", "/api/projects", request);
  }

  updateProject(id: number, update: UpdateProjectRequest) {
    return this.call(projectSchema, "PUT", `/api/projects/${id}`, update);
  }

  removeProject(id: number) {
    return this.call(removeProjectResponseSchema, "DELETE", `/api/projects/${id}`);
  }

  /** What mirroring the project would fetch and what it weighs (asks the registries). */
  planProject(id: number) {
    return this.call(projectPlanSchema, "POST", `/api/projects/${id}/plan`, {});
  }

  /** Starts one job mirroring everything the project lacks. */
  mirrorProject(id: number) {
    return this.call(startJobResponseSchema, "POST", `/api/projects/${id}/mirror`, {});
  }

  /** Imports a bundle file sent as the body, with the explicit trust decision the CLI also demands. */
  importUpload(file: Blob, trust: { kind: "unchecked" } | { kind: "key"; armoredKey: string }) {
    return this.call(
      importResultSchema,
      "POST",
      "/api/bundles/import",
      file,
      { trust: trust.kind },
      trust.kind === "key" ? keyHeader(trust.armoredKey) : {},
    );
  }

  verifyBundle(request: { path: string; trustedKey?: string; trustedKeyPath?: string }) {
    return this.call(verifyReportSchema, "POST", "/api/bundles/verify", request);
  }

  importBundle(request: {
    path: string;
    trust: "key" | "unchecked";
    trustedKey?: string;
    trustedKeyPath?: string;
  }) {
    return this.call(importResultSchema, "POST", "/api/bundles/import", request);
  }

  /** The URL that streams a bundle of the selection (a browser download). */
  exportDownloadUrl(selection: Query = {}): string {
    return this.url("/api/bundles/export.tar", selection);
  }

  private url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const entry of value as readonly string[]) params.append(key, entry);
      else params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.options.baseUrl}${path}${search === "" ? "" : `?${search}`}`;
  }

  private async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    extraHeaders: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: "application/json", ...extraHeaders };
    // A Blob is a bundle upload, sent as it is; anything else is JSON.
    const upload = typeof Blob !== "undefined" && body instanceof Blob;
    if (body !== undefined) headers["content-type"] = upload ? "application/x-tar" : "application/json";
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    const response = await this.fetcher(this.url(path, query), {
      method,
      headers,
      credentials: "same-origin",
      ...(body === undefined ? {} : { body: upload ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const json: unknown = text === "" ? undefined : JSON.parse(text);
    if (!response.ok) {
      const parsed = apiErrorSchema.safeParse(json);
      const message = parsed.success ? parsed.data.errors.join(" ") : `HTTP ${response.status}`;
      throw new AdminApiError(response.status, message, parsed.success ? (parsed.data.fields ?? []) : []);
    }
    return schema.parse(json);
  }
}

/** An armored key travels base64 in a header, since an upload's body is the bundle itself. */
function keyHeader(armored: string | undefined): Record<string, string> {
  if (armored === undefined) return {};
  const bytes = new TextEncoder().encode(armored);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return { "x-larder-trusted-key": btoa(binary) };
}

function segments(...parts: readonly string[]): string {
  return parts.map((part) => encodeURIComponent(part)).join("/");
}
