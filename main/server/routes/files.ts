import { Router } from "express";
import type { BlobStore } from "../../store/blob-store.js";
import type { ProviderCatalog } from "../../engine/provider-catalog.js";
import { param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Stored archives, SHA256SUMS and signatures under `/files/`. Blobs are immutable, so the sha256 is a strong
 * ETag and Range requests (with If-Range) let interrupted downloads resume.
 */
export function filesRoutes(catalog: ProviderCatalog, store: BlobStore): Router {
  const router = Router();

  router.get("/files/providers/:host/:namespace/:type/:version/:name", (req, res, next) => {
    const provider = providerParams(req);
    const file =
      provider && catalog.file({ ...provider, version: param(req, "version") }, param(req, "name"));
    if (!file) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    // `send` reads the ETag we set for If-None-Match / If-Range, and computes Content-Length and 206 answers.
    res.setHeader("ETag", `"${file.sha256}"`);
    res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    res.sendFile(
      store.pathOf(file.sha256),
      {
        // The default data dir is ~/.local/share/larder: `send` would refuse any path with a dot segment.
        dotfiles: "allow",
        etag: false,
        lastModified: false,
        acceptRanges: true,
        headers: { "Content-Type": file.contentType },
      },
      (error) => {
        if (error) next(error);
      },
    );
  });

  return router;
}
