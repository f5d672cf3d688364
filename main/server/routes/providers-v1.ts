import { Router } from "express";
import type { ProviderCatalog } from "../../engine/provider-catalog.js";
import { param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Provider registry protocol (terraform-protocols.md §2) for every upstream host under
 * `/v1/providers/{host}/`. Upstream checksums, signature, keys, filename and shasum pass through unchanged;
 * only the three URLs point at Larder's own /files/.
 */
export function providersV1Routes(catalog: ProviderCatalog): Router {
  const router = Router();

  router.get("/v1/providers/:host/:namespace/:type/versions", (req, res) => {
    const provider = providerParams(req);
    const versions = provider && catalog.versions(provider);
    if (!provider || !versions) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendJson(res, {
      versions: versions.map((entry) => ({
        version: entry.version,
        protocols: entry.protocols,
        platforms: entry.platforms,
      })),
    });
  });

  router.get("/v1/providers/:host/:namespace/:type/:version/download/:os/:arch", (req, res) => {
    const provider = providerParams(req);
    const download =
      provider &&
      catalog.download({ ...provider, version: param(req, "version") }, param(req, "os"), param(req, "arch"));
    if (!download) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendJson(res, {
      protocols: download.protocols,
      os: download.os,
      arch: download.arch,
      filename: download.filename,
      // Root-relative: clients resolve these against the URL of this answer, so they work behind any host name.
      download_url: download.downloadPath,
      shasums_url: download.shasumsPath,
      shasums_signature_url: download.shasumsSignaturePath,
      shasum: download.shasum,
      signing_keys: { gpg_public_keys: download.signingKeys },
    });
  });

  return router;
}
