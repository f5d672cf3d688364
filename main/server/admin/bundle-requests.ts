import { readFile, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Request } from "express";
import { z } from "zod";
import { bundlePathRequestSchema, bundleSelectionSchema } from "../../../shared/api/index.js";
import type { BundleSelection } from "../../bundle/bundle-selection.js";
import { errorMessage, LarderError } from "../../core/errors.js";
import { parseModuleAddress } from "../../core/module-address.js";
import { parsePlatform } from "../../core/platform.js";
import { parseProviderAddress } from "../../core/provider-address.js";
import { parseVersionConstraint } from "../../core/version-constraint.js";
import type { AdminContext } from "./admin-context.js";
import { isBundleUpload, stageUpload } from "./bundle-upload.js";
import { InputError, parseInput } from "./validate.js";

// Reading what a bundle request names: the bundle (a path on this machine or the upload), its trust, its selection.

/** How an uploaded bundle is named in messages and in the history. */
export const UPLOAD_LABEL = "(upload)";

/**
 * Runs `work` on the bundle the request names: a path on this machine (JSON) or the uploaded body, staged in
 * the data directory's temp folder first and removed afterwards.
 */
export async function withBundleFile<T>(
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
export function uploadTrust(req: Request): "key" | "unchecked" {
  return parseInput(z.object({ trust: z.enum(["key", "unchecked"]) }), req.query, "query").trust;
}

/** The armored public key a bundle must be signed with: in the JSON body, a file on this machine, or a header. */
export async function trustedKeyOf(req: Request, body: unknown): Promise<string | undefined> {
  const header = req.get("x-larder-trusted-key");
  if (header !== undefined) return Buffer.from(header, "base64").toString("utf8");
  const parsed = bundlePathRequestSchema.partial().loose().safeParse(body);
  if (!parsed.success) return undefined;
  if (parsed.data.trustedKey !== undefined) return parsed.data.trustedKey;
  if (parsed.data.trustedKeyPath !== undefined) return readKey(parsed.data.trustedKeyPath, "trustedKeyPath");
  return undefined;
}

export async function readKey(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new InputError([
      { path: field, message: `cannot read ${path} on the Larder machine: ${errorMessage(error)}` },
    ]);
  }
}

/** Query parameters that may repeat, as arrays (`?provider=a&provider=b`, or one). */
export function arrays(req: Request): Record<string, unknown> {
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
export function selectionOf(request: z.infer<typeof bundleSelectionSchema>, where: string): BundleSelection {
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
export async function expectFolder(file: string): Promise<void> {
  const folder = dirname(file);
  const isFolder = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isFolder)
    throw new InputError([{ path: "path", message: `there is no folder ${folder} on the Larder machine` }]);
}

/** The path a JSON body names, for the audit entry (the body is validated later). */
export function pathOf(body: unknown): string {
  const path = typeof body === "object" && body !== null && "path" in body ? body.path : undefined;
  return typeof path === "string" ? path : "(no path)";
}
