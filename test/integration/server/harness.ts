import { openTerraformLarder } from "../../helpers/open-larder.js";
import { createHash } from "node:crypto";
import { request, type IncomingHttpHeaders } from "node:http";
import { join } from "node:path";
import { z } from "zod";
import { Larder } from "../../../main/engine/larder.js";
import type { MirrorProvidersRequest, MirrorReport } from "../../../main/engine/mirror-providers.js";
import { startServer, type RunningServer, type ServerOptions } from "../../../main/server/start-server.js";
import { startFixtureUpstream, type FixtureUpstream } from "../../fixtures/upstream/index.js";
import { makeTempDir, type TempDir } from "../../helpers/temp-dir.js";

/** The fixture registry, a Larder on a temp data dir pointed at it for both hosts, and a running server. */
export interface ServerHarness {
  readonly fixture: FixtureUpstream;
  readonly larder: Larder;
  readonly server: RunningServer;
  readonly dataDir: string;
  /** Mirrors and fails the test if any package was refused. */
  mirror(request: MirrorProvidersRequest): Promise<MirrorReport>;
  stop(): Promise<void>;
}

/** What the standard harness stores before the server starts. */
export const ALPHA = "registry.terraform.io/fixture/alpha";
export const ALPHA_VERSIONS = ["1.1.0", "2.0.0"] as const;
export const ALPHA_PLATFORMS = ["linux_amd64", "darwin_arm64"] as const;
export const BETA = "registry.opentofu.org/fixture/beta";
export const BETA_VERSIONS = ["0.4.0"] as const;
export const BETA_PLATFORMS = ["linux_amd64", "linux_arm64"] as const;

/** Options of startHarness. */
export interface HarnessOptions {
  /** Store alpha (terraform host) and beta (opentofu host) before starting; default true. */
  readonly seed?: boolean;
  /** Start the HTTPS listener too; default false. */
  readonly https?: boolean;
  /** More server options (event stream limits, public names, watch interval). */
  readonly server?: Partial<ServerOptions>;
}

/** Starts everything; call stop() in afterAll. */
export async function startHarness(name: string, options: HarnessOptions = {}): Promise<ServerHarness> {
  const dir: TempDir = await makeTempDir(`server-${name}`);
  // Like the Linux default ~/.local/share/larder: a dot folder on the path must not stop blobs being served.
  const dataDir = join(dir.path, ".local", "share", "larder");
  const fixture = await startFixtureUpstream();
  const larder = await openTerraformLarder({
    dataDir,
    upstreams: new Map([
      ["registry.terraform.io", fixture.url],
      ["registry.opentofu.org", fixture.url],
      ["api.opentofu.org", fixture.url],
    ]),
  });
  const mirror = async (request: MirrorProvidersRequest): Promise<MirrorReport> => {
    const report = await larder.mirrorProviders(request);
    if (report.failed.length > 0) {
      throw new Error(
        `mirror ${request.address} failed: ${report.failed.map((entry) => entry.message).join("; ")}`,
      );
    }
    return report;
  };
  if (options.seed ?? true) {
    await mirror({ address: ALPHA, versions: [...ALPHA_VERSIONS], platforms: [...ALPHA_PLATFORMS] });
    await mirror({ address: BETA, versions: [...BETA_VERSIONS], platforms: [...BETA_PLATFORMS] });
  }
  const server = await startServer(larder, {
    host: "127.0.0.1",
    httpPort: 0,
    httpsPort: options.https ? 0 : undefined,
    log: () => undefined,
    // Tests that are about the background catalog refresh turn it on with their own timing.
    catalogRefresh: false,
    ...options.server,
  });
  return {
    fixture,
    larder,
    server,
    dataDir,
    mirror,
    stop: async () => {
      await server.close(0);
      larder.close();
      await fixture.stop();
      await dir.remove();
    },
  };
}

/** A response read whole: status, headers and body bytes. */
export interface FetchedBytes {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** GETs (or any method) and reads the whole body. */
export async function fetchBytes(url: string | URL, init?: RequestInit): Promise<FetchedBytes> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: response.headers,
    body: Buffer.from(await response.arrayBuffer()),
  };
}

/** A response to a raw request: status, Node's header object and body bytes. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Sends a request with the path exactly as written and only the given headers. fetch would normalise `..`
 * segments away and, per the Fetch spec, adds `Cache-Control: no-cache` to conditional requests.
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A JSON answer: status, exact Content-Type and the parsed body. */
export interface FetchedJson {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

/** GETs a URL and parses the body as JSON. */
export async function fetchJson(url: string | URL): Promise<FetchedJson> {
  const { status, headers, body } = await fetchBytes(url);
  return {
    status,
    contentType: headers.get("content-type"),
    body: JSON.parse(body.toString("utf8")) as unknown,
  };
}

/** Lower-case hex sha256. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** "linux_amd64" → { os: "linux", arch: "amd64" }. */
export function osArch(platform: string): { os: string; arch: string } {
  const cut = platform.lastIndexOf("_");
  return { os: platform.slice(0, cut), arch: platform.slice(cut + 1) };
}

/** providers.v1 `versions` answer. */
export const versionsSchema = z.object({
  versions: z.array(
    z.object({
      version: z.string(),
      protocols: z.array(z.string()),
      platforms: z.array(z.object({ os: z.string(), arch: z.string() })),
    }),
  ),
});

/** providers.v1 download answer. */
export const downloadSchema = z.object({
  protocols: z.array(z.string()),
  os: z.string(),
  arch: z.string(),
  filename: z.string(),
  download_url: z.string(),
  shasums_url: z.string(),
  shasums_signature_url: z.string(),
  shasum: z.string(),
  signing_keys: z.object({
    gpg_public_keys: z.array(
      z.object({ key_id: z.string(), ascii_armor: z.string(), source: z.string().optional() }).loose(),
    ),
  }),
});

/** Network mirror `{version}.json` answer. */
export const archivesSchema = z.object({
  archives: z.record(z.string(), z.object({ url: z.string(), hashes: z.array(z.string()) })),
});

/** The registry protocols' error body. */
export const errorsSchema = z.object({ errors: z.array(z.string()).min(1) });
