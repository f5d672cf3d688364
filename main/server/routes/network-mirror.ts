import { Router, type Response } from "express";
import { formatPlatform, parsePlatformName, type Platform } from "../../core/platform.js";
import { mergeProviderVersions, type ProviderCatalog } from "../../engine/provider-catalog.js";
import { answerScope, jsonBody, type ProtocolContext } from "../protocol-cache/protocol-context.js";
import { resolveProviderDownload } from "../resolve-provider-download.js";
import { clientOf, param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Provider network mirror protocol (terraform-protocols.md §3) under `/providers/`. A 404 on index.json means
 * "not here, try the next source"; `{version}.json` lists every stored platform with `h1:` and `zh:`.
 *
 * With pull-through, upstream versions and platforms are listed too. An upstream-only platform cannot carry
 * hashes (Larder has not verified it yet; `hashes` is optional in the protocol), and its `url` points at
 * `…/{version}/pull/{os}_{arch}`, which fetches, verifies and stores the package, then redirects to the stored
 * archive. The client cannot say its platform in `{version}.json`, so fetching there would mean every platform.
 *
 * A miss stays a bare 404 here: it tells terraform to try its next installation method, and this protocol has
 * no field a client would show.
 */
export function networkMirrorRoutes(catalog: ProviderCatalog, context: ProtocolContext): Router {
  const router = Router();
  const { countServed } = context;
  const notFound = (res: Response): void => {
    sendJson(res, { errors: ["Not Found"] }, 404);
  };

  router.get("/providers/:host/:namespace/:type/:document", async (req, res) => {
    const pullThrough = context.pullThrough();
    const scope = answerScope(context, req, res, pullThrough);
    const provider = providerParams(req);
    const document = param(req, "document");
    if (!provider || !document.endsWith(".json")) {
      notFound(res);
      return;
    }
    let versions = catalog.versions(provider);
    if (pullThrough) {
      // Served stale (the cached or stored list) when the upstream is down: the protocol has no warnings field.
      versions = mergeProviderVersions(versions ?? [], (await pullThrough.providerVersions(provider)).value);
    }
    if (document === "index.json") {
      if (!versions || versions.length === 0) notFound(res);
      else
        scope.send({
          status: 200,
          body: jsonBody({ versions: Object.fromEntries(versions.map((entry) => [entry.version, {}])) }),
        });
      return;
    }
    const version = document.slice(0, -".json".length);
    const archives = new Map<string, { url: string; hashes?: readonly string[] }>(
      (catalog.mirrorArchives({ ...provider, version }) ?? []).map((archive) => [
        archive.platform,
        { url: archive.urlPath, hashes: archive.hashes },
      ]),
    );
    const listed = pullThrough ? versions?.find((entry) => entry.version === version) : undefined;
    for (const platform of listed?.platforms ?? []) {
      const name = formatPlatform(platform);
      const url = `/providers/${provider.host}/${provider.namespace}/${provider.type}/${encodeURIComponent(version)}/pull/${name}`;
      if (!archives.has(name)) archives.set(name, { url });
    }
    if (archives.size === 0) notFound(res);
    else scope.send({ status: 200, body: jsonBody({ archives: Object.fromEntries(archives) }) });
  });

  router.get("/providers/:host/:namespace/:type/:version/pull/:platform", async (req, res) => {
    const pullThrough = context.pullThrough();
    const provider = providerParams(req);
    const version = param(req, "version");
    const platform = parsePlatformParam(param(req, "platform"));
    if (!provider || !platform || !pullThrough) {
      notFound(res);
      return;
    }
    const download = await resolveProviderDownload(catalog, pullThrough, countServed, {
      provider,
      version,
      platform,
      client: clientOf(req),
    });
    if (!download) {
      notFound(res);
      return;
    }
    res.redirect(302, download.downloadPath);
  });

  return router;
}

function parsePlatformParam(value: string): Platform | undefined {
  try {
    // The form only: the mirror may hold platforms a registry listed outside Go's current set.
    return parsePlatformName(value);
  } catch {
    return undefined;
  }
}
