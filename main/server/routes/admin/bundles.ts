import { Router } from "express";
import { z } from "zod";
import {
  bundleHistorySchema,
  bundleSelectionSchema,
  exportPlanRequestSchema,
  exportPlanSchema,
  exportResultSchema,
  exportToPathRequestSchema,
  importRequestSchema,
  importResultSchema,
  verifyReportSchema,
} from "../../../../shared/api/index.js";
import type { ExportResult } from "../../../bundle/export-bundle.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { reporter } from "../../admin/bundle-progress.js";
import {
  arrays,
  expectFolder,
  pathOf,
  readKey,
  selectionOf,
  trustedKeyOf,
  uploadTrust,
  UPLOAD_LABEL,
  withBundleFile,
} from "../../admin/bundle-requests.js";
import { isBundleUpload } from "../../admin/bundle-upload.js";
import { audited } from "../../admin/audited.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";

/**
 * Bundles over HTTP: export to a path on this machine (the desktop) or as a download (a browser), verify and
 * import from a path or an upload, each with progress on the event stream; and the history.
 */
export function bundleRoutes(context: AdminContext): Router {
  const router = Router();
  const { larder } = context;

  router.get("/api/bundles", (_req, res) => {
    sendValid(res, bundleHistorySchema, { bundles: larder.bundleHistory() });
  });

  router.post("/api/bundles/export", async (req, res) => {
    const request = parseInput(exportToPathRequestSchema, req.body, "");
    await expectFolder(request.path);
    const selection = selectionOf(request, "");
    const signKey =
      request.signKeyPath === undefined
        ? undefined
        : {
            armored: await readKey(request.signKeyPath, "signKeyPath"),
            passphrase: request.signKeyPassphrase,
          };
    const progress = reporter(context, "export");
    const result = await audited(
      context,
      res,
      "bundle.export",
      request.path,
      () =>
        progress.around(() =>
          larder.exportBundle(
            {
              file: request.path,
              selection,
              since: request.since,
              gzip: request.gzip ?? /\.(t?gz)$/i.test(request.path),
              signKey,
            },
            progress.hooks,
          ),
        ),
      (written) =>
        `bundle ${written.manifest.id}: ${written.providerPackages} provider package(s), ${written.moduleVersions} module version(s)`,
    );
    sendValid(res, exportResultSchema, exportJson(result, result.manifest.id, request.path));
  });

  // A dry run: nothing is written or recorded, so it is not audited either.
  router.post("/api/bundles/plan", async (req, res) => {
    const request = parseInput(exportPlanRequestSchema, req.body ?? {}, "");
    const signKey =
      request.signKeyPath === undefined
        ? undefined
        : {
            armored: await readKey(request.signKeyPath, "signKeyPath"),
            passphrase: request.signKeyPassphrase,
          };
    const plan = await larder.planExport({
      selection: selectionOf(request, ""),
      since: request.since,
      signKey,
    });
    sendValid(res, exportPlanSchema, { ...plan, signedBy: plan.signedBy ?? null });
  });

  router.get("/api/bundles/export.tar", async (req, res) => {
    const query = parseInput(
      bundleSelectionSchema.extend({ gzip: z.enum(["0", "1"]).optional() }),
      arrays(req),
      "query",
    );
    const gzip = query.gzip === "1";
    const selection = selectionOf(query, "query");
    const name = `larder-${new Date().toISOString().slice(0, 10)}.tar${gzip ? ".gz" : ""}`;
    const progress = reporter(context, "export");
    await audited(
      context,
      res,
      "bundle.export",
      `(download ${name})`,
      () =>
        progress.around(() =>
          larder.exportBundleToStream(
            { selection, since: query.since, gzip },
            res,
            `(downloaded as ${name})`,
            {
              onPlanned: (plan, tarBytes) => {
                progress.hooks.onPlanned(plan, tarBytes);
                res.status(200);
                res.setHeader("Content-Type", gzip ? "application/gzip" : "application/x-tar");
                res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
                res.setHeader("X-Larder-Bundle-Id", plan.manifest.id);
                // The exact size is known before the first byte; a gzip stream's is not.
                if (!gzip) res.setHeader("Content-Length", String(tarBytes));
              },
              onProgress: progress.hooks.onProgress,
            },
          ),
        ),
      (written) => `bundle ${written.manifest.id}`,
    );
  });

  router.post("/api/bundles/verify", async (req, res) => {
    const progress = reporter(context, "verify");
    const report = await withBundleFile(context, req, async (file, body) => {
      const key = await trustedKeyOf(req, body);
      return progress.around(() => larder.verifyBundle(file, key));
    });
    sendValid(res, verifyReportSchema, report);
  });

  router.post("/api/bundles/import", async (req, res) => {
    const progress = reporter(context, "import");
    const target = isBundleUpload(req) ? "(upload)" : pathOf(req.body);
    const outcome = await audited(
      context,
      res,
      "bundle.import",
      target,
      async () => {
        // The trust decision and its key are read before an upload is staged: a refusal costs no upload.
        const upload = isBundleUpload(req);
        const trust = upload ? uploadTrust(req) : parseInput(importRequestSchema, req.body, "").trust;
        const key = trust === "key" ? await trustedKeyOf(req, upload ? {} : req.body) : undefined;
        // An upload's key comes in a header: without it, "key" must not quietly become an unchecked import.
        if (trust === "key" && key === undefined) {
          throw new InputError([
            {
              path: "query.trust",
              message: 'trust "key" needs the armored public key, base64, in the X-Larder-Trusted-Key header',
            },
          ]);
        }
        return withBundleFile(context, req, (file, _body, size) =>
          progress.around(() =>
            larder.importBundle(
              file,
              size,
              key === undefined ? { kind: "unchecked" } : { kind: "key", armoredKey: key },
              upload ? UPLOAD_LABEL : undefined,
            ),
          ),
        );
      },
      (result) =>
        result.status === "imported"
          ? `bundle ${result.report.bundleId} imported`
          : `bundle ${result.bundleId} was already imported`,
    );
    // What is served changed: every window refetches its inventory (a re-import changes nothing).
    if (outcome.status === "imported") context.events.publish({ type: "inventory" });
    sendValid(
      res,
      importResultSchema,
      outcome.status === "imported"
        ? {
            status: "imported",
            bundleId: outcome.report.bundleId,
            providerPackages: outcome.providerPackages,
            moduleVersions: outcome.moduleVersions,
          }
        : { status: "already-imported", bundleId: outcome.bundleId, providerPackages: 0, moduleVersions: 0 },
    );
  });

  return router;
}

function exportJson(
  result: ExportResult,
  bundleId: string,
  path: string,
): z.input<typeof exportResultSchema> {
  return {
    bundleId,
    path,
    fileBytes: result.fileBytes,
    providerPackages: result.providerPackages,
    moduleVersions: result.moduleVersions,
    signedBy: result.signedBy ?? null,
    parentId: result.manifest.parent?.id ?? null,
  };
}
