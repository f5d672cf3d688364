import { Router, type Request } from "express";
import { normalizeHostname } from "../../core/hostname.js";
import type { ModuleCatalog, ModuleCoordinates } from "../../engine/module-catalog.js";
import { param } from "../route-params.js";
import { sendJson } from "../send-json.js";

/** Reads `:host/:namespace/:name/:system`; names keep their case (the repository compares without it). */
function moduleParams(req: Request): ModuleCoordinates | undefined {
  try {
    return {
      host: normalizeHostname(param(req, "host")),
      namespace: param(req, "namespace"),
      name: param(req, "name"),
      system: param(req, "system").toLowerCase(),
    };
  } catch {
    return undefined;
  }
}

/**
 * Module registry protocol (terraform-protocols.md §6) per upstream host under `/v1/modules/{host}/`. Downloads
 * answer 204 with `X-Terraform-Get` pointing at Larder's own archive (plus the module's subdirectory), which
 * both terraform and tofu accept.
 */
export function modulesV1Routes(catalog: ModuleCatalog): Router {
  const router = Router();

  router.get("/v1/modules/:host/:namespace/:name/:system/versions", (req, res) => {
    const module = moduleParams(req);
    const versions = module && catalog.versions(module);
    if (!versions) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    sendJson(res, { modules: [{ versions: versions.map((version) => ({ version })) }] });
  });

  router.get("/v1/modules/:host/:namespace/:name/:system/:version/download", (req, res) => {
    const module = moduleParams(req);
    const download = module && catalog.download({ ...module, version: param(req, "version") });
    if (!download) {
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    // Absolute, built from the Host the client used: go-getter then needs no relative-URL resolution.
    const location = `${req.protocol}://${req.get("host") ?? "127.0.0.1"}${download.archivePath}`;
    res.setHeader("X-Terraform-Get", download.subdir === "" ? location : `${location}//${download.subdir}`);
    res.status(204).end();
  });

  return router;
}
