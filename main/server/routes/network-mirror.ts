import { Router } from "express";
import type { ProviderCatalog } from "../../engine/provider-catalog.js";
import { param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Provider network mirror protocol (terraform-protocols.md §3) under `/providers/`. A 404 on index.json means
 * "not here, try the next source"; `{version}.json` lists every stored platform with `h1:` and `zh:`.
 */
export function networkMirrorRoutes(catalog: ProviderCatalog): Router {
  const router = Router();

  router.get("/providers/:host/:namespace/:type/:document", (req, res) => {
    const provider = providerParams(req);
    const document = param(req, "document");
    if (!provider || !document.endsWith(".json")) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    if (document === "index.json") {
      const versions = catalog.versions(provider);
      if (!versions) {
        sendJson(res, { errors: ["Not Found"] }, 404);
        return;
      }
      sendJson(res, { versions: Object.fromEntries(versions.map((entry) => [entry.version, {}])) });
      return;
    }
    const archives = catalog.mirrorArchives({ ...provider, version: document.slice(0, -".json".length) });
    if (!archives) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendJson(res, {
      archives: Object.fromEntries(
        archives.map((archive) => [archive.platform, { url: archive.urlPath, hashes: archive.hashes }]),
      ),
    });
  });

  return router;
}
