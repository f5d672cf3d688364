import { Router, type NextFunction, type Response } from "express";
import { normalizeHostname } from "../../core/hostname.js";
import type { BlobStore } from "../../store/blob-store.js";
import type { ModuleCatalog } from "../../engine/module-catalog.js";
import type { ProviderCatalog } from "../../engine/provider-catalog.js";
import { param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Stored archives, SHA256SUMS and signatures under `/files/`. Blobs are immutable, so the sha256 is a strong
 * ETag and Range requests (with If-Range) let interrupted downloads resume.
 */
export function filesRoutes(catalog: ProviderCatalog, modules: ModuleCatalog, store: BlobStore): Router {
  const router = Router();

  /** Sends an immutable blob with a strong ETag, Range support and an exact Content-Length. */
  const sendBlob = (res: Response, next: NextFunction, sha256: string, contentType: string): void => {
    // `send` reads the ETag we set for If-None-Match / If-Range, and computes Content-Length and 206 answers.
    res.setHeader("ETag", `"${sha256}"`);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.sendFile(
      store.pathOf(sha256),
      // The default data dir is ~/.local/share/larder: `send` would refuse any path with a dot segment.
      {
        dotfiles: "allow",
        etag: false,
        lastModified: false,
        acceptRanges: true,
        headers: { "Content-Type": contentType },
      },
      (error) => {
        if (error) next(error);
      },
    );
  };

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
    sendBlob(res, next, archive.sha256, "application/gzip");
  });

  router.get("/files/providers/:host/:namespace/:type/:version/:name", (req, res, next) => {
    const provider = providerParams(req);
    const file =
      provider && catalog.file({ ...provider, version: param(req, "version") }, param(req, "name"));
    if (!file) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendBlob(res, next, file.sha256, file.contentType);
  });

  return router;
}
