import { readFile, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Router, type Request } from "express";
import { z } from "zod";
import {
  bundleHistorySchema,
  bundlePathRequestSchema,
  bundleSelectionSchema,
  exportResultSchema,
  exportToPathRequestSchema,
  importRequestSchema,
  importResultSchema,
  verifyReportSchema,
  type ApiEvent,
} from "../../../../shared/api/index.js";
import type { ExportResult } from "../../../bundle/export-bundle.js";
import type { BundleSelection } from "../../../bundle/bundle-selection.js";
import { errorMessage, LarderError } from "../../../core/errors.js";
import { parseModuleAddress } from "../../../core/module-address.js";
import { parsePlatform } from "../../../core/platform.js";
import { parseProviderAddress } from "../../../core/provider-address.js";
import { parseVersionConstraint } from "../../../core/version-constraint.js";
import type { AdminContext } from "../../admin/admin-context.js";
import { isBundleUpload, stageUpload } from "../../admin/bundle-upload.js";
import { audited } from "../../admin/audited.js";
import { InputError, parseInput, sendValid } from "../../admin/validate.js";

/** How an uploaded bundle is named in messages and in the history. */
const UPLOAD_LABEL = "(upload)";

type Operation = Extract<ApiEvent, { type: "bundle" }>["operation"];

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
      () =>
        withBundleFile(context, req, async (file, body, size) => {
          const trust = isBundleUpload(req)
            ? uploadTrust(req)
            : parseInput(importRequestSchema, body, "").trust;
          const key = trust === "key" ? await trustedKeyOf(req, body) : undefined;
          // An upload's key comes in a header: without it, "key" must not quietly become an unchecked import.
          if (trust === "key" && key === undefined) {
            throw new InputError([
              {
                path: "query.trust",
                message:
                  'trust "key" needs the armored public key, base64, in the X-Larder-Trusted-Key header',
              },
            ]);
          }
          return progress.around(() =>
            larder.importBundle(
              file,
              size,
              key === undefined ? { kind: "unchecked" } : { kind: "key", armoredKey: key },
              isBundleUpload(req) ? UPLOAD_LABEL : undefined,
            ),
          );
        }),
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

/**
 * Runs `work` on the bundle the request names: a path on this machine (JSON) or the uploaded body, staged in
 * the data directory's temp folder first and removed afterwards.
 */
async function withBundleFile<T>(
  context: AdminContext,
  req: Request,
  work: (file: string, body: unknown, size: number) => Promise<T>,
): Promise<T> {
  if (!isBundleUpload(req)) {
    const body: unknown = req.body;
    const { path } = parseInput(bundlePathRequestSchema.loose(), body, "");
    const size = await stat(path).then(
      (info) => info.size,
      () => {
        throw new LarderError("not_found", `No bundle file at ${path} on the Larder machine.`);
      },
    );
    return work(path, body, size);
  }
  const staged = await stageUpload(context.larder, req);
  try {
    return await work(staged.file, {}, staged.size);
  } catch (error) {
    // The staged copy's name means nothing to whoever uploaded it, and is gone once this answers.
    if (error instanceof LarderError && error.message.includes(staged.file))
      throw new LarderError(error.code, error.message.replaceAll(staged.file, UPLOAD_LABEL), {
        cause: error,
      });
    throw error;
  } finally {
    await rm(staged.file, { force: true });
  }
}

/** An upload's trust decision comes in the query (`?trust=key|unchecked`), its key in a header (base64). */
function uploadTrust(req: Request): "key" | "unchecked" {
  return parseInput(z.object({ trust: z.enum(["key", "unchecked"]) }), req.query, "query").trust;
}

/** The armored public key a bundle must be signed with: in the JSON body, a file on this machine, or a header. */
async function trustedKeyOf(req: Request, body: unknown): Promise<string | undefined> {
  const header = req.get("x-larder-trusted-key");
  if (header !== undefined) return Buffer.from(header, "base64").toString("utf8");
  const parsed = bundlePathRequestSchema.partial().loose().safeParse(body);
  if (!parsed.success) return undefined;
  if (parsed.data.trustedKey !== undefined) return parsed.data.trustedKey;
  if (parsed.data.trustedKeyPath !== undefined) return readKey(parsed.data.trustedKeyPath, "trustedKeyPath");
  return undefined;
}

async function readKey(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InputError([
      { path: field, message: `cannot read ${path} on the Larder machine: ${errorMessage(error)}` },
    ]);
  }
}

/** Query parameters that may repeat, as arrays (`?provider=a&provider=b`, or one). */
function arrays(req: Request): Record<string, unknown> {
  const raw = req.query as Record<string, unknown>;
  const plural: Record<string, string> = { provider: "providers", module: "modules", platform: "platforms" };
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = plural[key] ?? key;
    if (Object.values(plural).includes(name)) query[name] = [query[name] ?? [], value].flat();
    else query[name] = value;
  }
  return query;
}

/** The engine's selection; an address or constraint that does not parse is bad input naming its field. */
function selectionOf(request: z.infer<typeof bundleSelectionSchema>, where: string): BundleSelection {
  const field = <T>(path: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof LarderError)) throw error;
      throw new InputError([{ path: [where, path].filter(Boolean).join("."), message: error.message }]);
    }
  };
  return {
    providers: request.providers.map((address, index) =>
      field(`providers.${index}`, () => parseProviderAddress(address)),
    ),
    modules: request.modules.map((address, index) =>
      field(`modules.${index}`, () => parseModuleAddress(address).address),
    ),
    version:
      request.version === undefined
        ? undefined
        : field("version", () => parseVersionConstraint(request.version ?? "")),
    platforms: request.platforms.map(parsePlatform),
  };
}

/** A bundle is written next to its final name: the folder must exist (bad input, not a server failure). */
async function expectFolder(file: string): Promise<void> {
  const folder = dirname(file);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder)
    throw new InputError([{ path: "path", message: `there is no folder ${folder} on the Larder machine` }]);
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

/** Publishes a bundle operation's start, progress (at most 5 per second), end or failure on the event stream. */
function reporter(context: AdminContext, operation: Operation) {
  let total: number | null = null;
  let lastAt = 0;
  const publish = (
    phase: "started" | "progress" | "finished" | "failed",
    done: number,
    message: string | null,
  ): void => {
    context.events.publish({ type: "bundle", operation, phase, bytesDone: done, bytesTotal: total, message });
  };
  let done = 0;
  return {
    hooks: {
      onPlanned: (_plan: unknown, tarBytes: number) => {
        total = tarBytes;
        publish("progress", 0, null);
      },
      onProgress: (bytes: number) => {
        done = bytes;
        const now = Date.now();
        if (now - lastAt < 200) return;
        lastAt = now;
        publish("progress", bytes, null);
      },
    },
    async around<T>(work: () => Promise<T>): Promise<T> {
      publish("started", 0, null);
      try {
        const result = await work();
        publish("finished", total ?? done, null);
        return result;
      } catch (error) {
        publish("failed", done, errorMessage(error));
        throw error;
      }
    },
  };
}

/** The path a JSON body names, for the audit entry (the body is validated later). */
function pathOf(body: unknown): string {
  const path = typeof body === "object" && body !== null && "path" in body ? body.path : undefined;
  return typeof path === "string" ? path : "(no path)";
}
