import { Router } from "express";
import { normalizeHostname } from "../../core/hostname.js";
import type { BlobStore } from "../../store/blob-store.js";
import type { ModuleCatalog } from "../../engine/module-catalog.js";
import type { ProviderCatalog } from "../../engine/provider-catalog.js";
import { param, providerParams } from "../route-params.js";
import { sendBlob } from "../send-blob.js";
import { sendJson } from "../send-json.js";

/**
 * Stored archives, SHA256SUMS and signatures under `/files/`. Blobs are immutable, so the sha256 is a strong
 * ETag and Range requests (with If-Range) let interrupted downloads resume.
 */
export function filesRoutes(catalog: ProviderCatalog, modules: ModuleCatalog, store: BlobStore): Router {
  const router = Router();

  router.get("/files/modules/:host/:namespace/:name/:system/:archive", (req, res, next) => {
    const name = param(req, "archive");
    let host: string;
    try {
      host = normalizeHostname(param(req, "host"));
    } catch {
      host = "";
    }
    const archive = name.endsWith(".tar.gz")
      ? modules.archive({
          host,
          namespace: param(req, "namespace"),
          name: param(req, "name"),
          system: param(req, "system").toLowerCase(),
          version: name.slice(0, -".tar.gz".length),
        })
      : undefined;
    if (!archive) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendBlob(req, res, {
      path: store.pathOf(archive.sha256),
      sha256: archive.sha256,
      contentType: "application/gzip",
    }).catch(next);
  });

  router.get("/files/providers/:host/:namespace/:type/:version/:name", (req, res, next) => {
    const provider = providerParams(req);
    const file =
      provider && catalog.file({ ...provider, version: param(req, "version") }, param(req, "name"));
    if (!file) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendBlob(req, res, {
      path: store.pathOf(file.sha256),
      sha256: file.sha256,
      contentType: file.contentType,
    }).catch(next);
  });

  return router;
}
