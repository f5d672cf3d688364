import { Router } from "express";
import { isValidPlatformSegment } from "../../core/platform.js";
import { mergeProviderVersions, type ProviderCatalog } from "../../engine/provider-catalog.js";
import { answerScope, jsonBody, type ProtocolContext } from "../protocol-cache/protocol-context.js";
import { resolveProviderDownload } from "../resolve-provider-download.js";
import { clientOf, param, providerParams } from "../route-params.js";
import { sendJson } from "../send-json.js";

/**
 * Provider registry protocol (terraform-protocols.md §2) for every upstream host under
 * `/v1/providers/{host}/`. Upstream checksums, signature, keys, filename and shasum pass through unchanged;
 * only the three URLs point at Larder's own /files/. With pull-through, upstream versions are listed too and
 * a download of a missing package fetches, verifies and stores it first. Answers from stored data are cached
 * (see AnswerCache) and carry an ETag.
 */
export function providersV1Routes(catalog: ProviderCatalog, context: ProtocolContext): Router {
  const router = Router();
  const { countServed } = context;

  router.get("/v1/providers/:host/:namespace/:type/versions", async (req, res) => {
    const pullThrough = context.pullThrough();
    const scope = answerScope(context, req, res, pullThrough);
    const provider = providerParams(req);
    let versions = provider && catalog.versions(provider);
    let warning: string | undefined;
    if (provider && pullThrough) {
      const upstream = await pullThrough.providerVersions(provider);
      versions = mergeProviderVersions(versions ?? [], upstream.value);
      warning = upstream.warning;
    }
    if (!versions || versions.length === 0) {
      if (provider) context.misses.provider(req, res, provider);
      else sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    scope.send({
      status: 200,
      body: jsonBody({
        versions: versions.map((entry) => ({
          version: entry.version,
          protocols: entry.protocols,
          platforms: entry.platforms,
        })),
        // terraform and tofu print registry warnings: the user learns the list may be out of date.
        ...(warning === undefined ? {} : { warnings: [warning] }),
      }),
    });
  });

  router.get("/v1/providers/:host/:namespace/:type/:version/download/:os/:arch", async (req, res) => {
    const pullThrough = context.pullThrough();
    const scope = answerScope(context, req, res, pullThrough);
    const provider = providerParams(req);
    const [version, os, arch] = [param(req, "version"), param(req, "os"), param(req, "arch")];
    const valid = provider && isValidPlatformSegment(os) && isValidPlatformSegment(arch);
    const download = valid
      ? await resolveProviderDownload(catalog, pullThrough, countServed, {
          provider,
          version,
          platform: { os, arch },
          client: clientOf(req),
        })
      : undefined;
    if (!download) {
      if (!valid) countServed("provider", "miss");
      res.setHeader("Cache-Control", "no-store");
      sendJson(res, { errors: ["Not Found"] }, 404);
      return;
    }
    scope.send({
      status: 200,
      served: "provider",
      body: jsonBody({
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
      }),
    });
  });

  return router;
}
