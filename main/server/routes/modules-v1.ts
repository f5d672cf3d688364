import { Router, type Request } from "express";
import { normalizeHostname } from "../../core/hostname.js";
import {
  mergeModuleVersions,
  type ModuleCatalog,
  type ModuleCoordinates,
} from "../../engine/module-catalog.js";
import { answerScope, jsonBody, type ProtocolContext } from "../protocol-cache/protocol-context.js";
import { clientOf, param } from "../route-params.js";
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
 * both terraform and tofu accept. Answers from stored data are cached (see AnswerCache) and carry an ETag.
 */
export function modulesV1Routes(catalog: ModuleCatalog, context: ProtocolContext): Router {
  const router = Router();
  const { countServed } = context;

  router.get("/v1/modules/:host/:namespace/:name/:system/versions", async (req, res) => {
    const pullThrough = context.pullThrough();
    const scope = answerScope(context, req, res, pullThrough);
    const module = moduleParams(req);
    let versions = module && catalog.versions(module);
    let warning: string | undefined;
    if (module && pullThrough) {
      const upstream = await pullThrough.moduleVersions(module);
      versions = mergeModuleVersions(versions ?? [], upstream.value);
      warning = upstream.warning;
    }
    if (!versions || versions.length === 0) {
      if (module) context.misses.module(req, res, module);
      else sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    scope.send({
      status: 200,
      body: jsonBody({
        modules: [{ versions: versions.map((version) => ({ version })) }],
        ...(warning === undefined ? {} : { warnings: [warning] }),
      }),
    });
  });

  router.get("/v1/modules/:host/:namespace/:name/:system/:version/download", async (req, res) => {
    const pullThrough = context.pullThrough();
    const scope = answerScope(context, req, res, pullThrough);
    const module = moduleParams(req);
    const version = param(req, "version");
    let download = module && catalog.download({ ...module, version });
    if (download) countServed("module", "hit");
    else if (module && pullThrough) {
      try {
        await pullThrough.ensureModuleVersion(module, version, clientOf(req));
      } catch (error) {
        // Not upstream either, refused by verification, or unreachable: a miss, answered by the error handler.
        countServed("module", "miss");
        throw error;
      }
      download = catalog.download({ ...module, version });
      if (download) countServed("module", "pull_through");
    }
    if (!download) {
      countServed("module", "miss");
      res.setHeader("Cache-Control", "no-store");
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    // Root-relative: terraform and tofu resolve it against the download request's URL (protocol doc §6.3), so it
    // stays right behind a TLS-terminating proxy and for any Host name, where req.protocol and Host would not.
    const location = download.archivePath;
    scope.send({
      status: 204,
      served: "module",
      body: Buffer.alloc(0),
      headers: { "X-Terraform-Get": download.subdir === "" ? location : `${location}//${download.subdir}` },
    });
  });

  return router;
}
