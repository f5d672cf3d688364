import { readFile } from "node:fs/promises";
import { Router, type Request } from "express";
import { Agent, fetch as undiciFetch } from "undici";
import {
  connectInfoSchema,
  connectTestSchema,
  type ConnectInfo,
  type ConnectTest,
} from "../../../../shared/api/index.js";
import { errorMessage } from "../../../core/errors.js";
import { renderCliConfig } from "../../../engine/cli-config.js";
import type { AdminContext, ListenerInfo } from "../../admin/admin-context.js";
import { sendValid } from "../../admin/validate.js";
import { hostNameOf } from "../../middleware/host-guard.js";

/** `GET /api/connect` (CLI configs and CA trust steps) and `POST /api/connect/test` (the server tries itself). */
export function connectRoutes(context: AdminContext): Router {
  const router = Router();
  router.get("/api/connect", (req, res) => {
    sendValid(res, connectInfoSchema, connectInfo(context, req));
  });
  router.post("/api/connect/test", async (_req, res) => {
    sendValid(res, connectTestSchema, await selfTest(context));
  });
  return router;
}

/** The listener URLs under the name the person reached this page by, so a team host's configs name the host. */
function urlsFor(listeners: ListenerInfo, req: Request): { http: string; https: string | undefined } {
  const name = hostNameOf(req.get("host"));
  const rename = (url: string): string => {
    if (name === undefined) return url;
    const parsed = new URL(url);
    parsed.hostname = name.includes(":") ? `[${name}]` : name;
    return parsed.origin;
  };
  return {
    http: rename(listeners.httpUrl),
    https: listeners.httpsUrl === undefined ? undefined : rename(listeners.httpsUrl),
  };
}

function connectInfo(context: AdminContext, req: Request): ConnectInfo {
  const listeners = context.listeners();
  if (listeners === undefined) throw new Error("The admin API answered before the server listened.");
  const urls = urlsFor(listeners, req);
  const caCertPath = listeners.tls?.caCertPath;
  const trustBundlePath = listeners.trustBundlePath;
  const extraHosts = context.larder.storedHosts();
  const modes = urls.https === undefined ? (["host"] as const) : (["host", "network-mirror"] as const);
  const configs = (["terraform", "tofu"] as const).flatMap((tool) =>
    modes.map((mode) => ({
      tool,
      mode,
      text: renderCliConfig({
        tool,
        mode,
        httpBaseUrl: urls.http,
        httpsBaseUrl: urls.https ?? "",
        extraHosts,
        caCertPath: caCertPath ?? "",
        trustBundlePath: trustBundlePath ?? "",
      }),
    })),
  );
  return {
    httpUrl: urls.http,
    httpsUrl: urls.https ?? null,
    caCertPath: caCertPath ?? null,
    trustBundlePath: trustBundlePath ?? null,
    configs,
    trust: caCertPath === undefined ? [] : trustSteps(caCertPath, trustBundlePath),
  };
}

/** How to trust Larder's CA on each OS, for the HTTPS network mirror (terraform and tofu have no CA option). */
function trustSteps(caCertPath: string, trustBundlePath: string | undefined): ConnectInfo["trust"] {
  return [
    {
      os: "linux",
      steps: [
        ...(trustBundlePath === undefined
          ? []
          : [
              {
                note: "For terraform and tofu only: the system roots plus Larder's CA, in this shell.",
                command: `export SSL_CERT_FILE=${trustBundlePath}`,
              },
            ]),
        {
          note: "For every program, on Debian and Ubuntu:",
          command: `sudo cp ${caCertPath} /usr/local/share/ca-certificates/larder.crt && sudo update-ca-certificates`,
        },
        {
          note: "On Fedora and RHEL:",
          command: `sudo cp ${caCertPath} /etc/pki/ca-trust/source/anchors/larder.crt && sudo update-ca-trust`,
        },
      ],
    },
    {
      os: "macos",
      steps: [
        {
          note: "Trust the CA in the system keychain:",
          command: `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caCertPath}`,
        },
      ],
    },
    {
      os: "windows",
      steps: [
        {
          note: "Trust the CA for your user (copy the file to this machine first):",
          command: `certutil -user -addstore Root ${caCertPath}`,
        },
      ],
    },
  ];
}

/**
 * Asks this server what a client would: discovery and liveness over HTTP, then over HTTPS trusting only Larder's
 * CA, and one stored provider's network-mirror index. Each check says what failed, so a person can fix it.
 */
async function selfTest(context: AdminContext): Promise<ConnectTest> {
  const listeners = context.listeners();
  const checks: ConnectTest["checks"] = [];
  const run = async (name: string, check: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await check() });
    } catch (error) {
      checks.push({ name, ok: false, detail: errorMessage(error) });
    }
  };
  if (listeners === undefined)
    return { ok: false, checks: [{ name: "listeners", ok: false, detail: "not listening" }] };
  await run("HTTP discovery", async () => {
    const url = `${listeners.httpUrl}/.well-known/terraform.json`;
    const body = await getJson(url);
    if (!body || typeof body !== "object" || !("providers.v1" in body))
      throw new Error(`${url} answered without providers.v1`);
    return `${url} answers the registry discovery document`;
  });
  const httpsUrl = listeners.httpsUrl;
  const caPath = listeners.tls?.caCertPath;
  if (httpsUrl === undefined || caPath === undefined) {
    checks.push({ name: "HTTPS", ok: true, detail: "HTTPS is off (--https-port), so only host mode works" });
  } else {
    const agent = new Agent({ connect: { ca: await readFile(caPath, "utf8") } });
    try {
      await run("HTTPS with Larder's CA", async () => {
        await getJson(`${httpsUrl}/healthz`, agent);
        return `${httpsUrl} presents a certificate Larder's CA (${caPath}) signed`;
      });
      const [first] = context.larder.providerInventory();
      await run("Network mirror", async () => {
        if (first === undefined) return "No provider is stored yet; mirror one to test the network mirror.";
        const url = `${httpsUrl}/providers/${first.host}/${first.namespace}/${first.type}/index.json`;
        await getJson(url, agent);
        return `${url} lists the stored versions`;
      });
    } finally {
      await agent.close();
    }
  }
  return { ok: checks.every((check) => check.ok), checks };
}

async function getJson(url: string, dispatcher?: Agent): Promise<unknown> {
  const response = await undiciFetch(url, {
    signal: AbortSignal.timeout(5000),
    ...(dispatcher ? { dispatcher } : {}),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}
